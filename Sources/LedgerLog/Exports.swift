/// The log speaks canonical JSON and event records: whoever imports the log reads them too.
@_exported import Canonical
