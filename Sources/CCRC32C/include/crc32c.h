#ifndef CLASH_CRC32C_H
#define CLASH_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli) of `count` bytes, continuing from `previous` (0 for a fresh checksum).
/// Uses the processor's CRC32 instruction where it has one (x86-64 SSE4.2, ARMv8 CRC), and
/// slicing-by-8 tables otherwise; every path gives the same value.
uint32_t clash_crc32c(uint32_t previous, const void *bytes, size_t count);

/// The same checksum through the portable tables only (for tests that compare the two paths).
uint32_t clash_crc32c_portable(uint32_t previous, const void *bytes, size_t count);

#endif
