// The facade's API speaks in the log's, the catalog's and the read models' types, so an embedder
// imports `Clash` alone.
@_exported import ClashCore
@_exported import EventSchemas
@_exported import LedgerLog
@_exported import Projections
@_exported import Domain
@_exported import Runtime
