// The facade's API speaks in the log's and the read models' types (events, errors, projectors),
// so an embedder imports `Clash` alone.
@_exported import LedgerLog
@_exported import Projections
