#include "crc32c.h"

#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>
#endif

static uint32_t tables[8][256];
static int tables_ready;

static void build_tables(void) {
    const uint32_t polynomial = 0x82F63B78u;
    for (uint32_t index = 0; index < 256; index++) {
        uint32_t crc = index;
        for (int bit = 0; bit < 8; bit++) crc = (crc & 1) ? (crc >> 1) ^ polynomial : crc >> 1;
        tables[0][index] = crc;
    }
    for (uint32_t index = 0; index < 256; index++) {
        uint32_t crc = tables[0][index];
        for (int slice = 1; slice < 8; slice++) {
            crc = tables[0][crc & 0xFF] ^ (crc >> 8);
            tables[slice][index] = crc;
        }
    }
    __atomic_store_n(&tables_ready, 1, __ATOMIC_RELEASE);
}

uint32_t clash_crc32c_portable(uint32_t previous, const void *bytes, size_t count) {
    if (!__atomic_load_n(&tables_ready, __ATOMIC_ACQUIRE)) build_tables();
    const unsigned char *p = bytes;
    uint32_t crc = ~previous;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        word = __builtin_bswap64(word);
#endif
        uint32_t low = (uint32_t)word ^ crc;
        uint32_t high = (uint32_t)(word >> 32);
        crc = tables[7][low & 0xFF] ^ tables[6][(low >> 8) & 0xFF] ^ tables[5][(low >> 16) & 0xFF] ^ tables[4][low >> 24]
            ^ tables[3][high & 0xFF] ^ tables[2][(high >> 8) & 0xFF] ^ tables[1][(high >> 16) & 0xFF] ^ tables[0][high >> 24];
        p += 8;
        count -= 8;
    }
    while (count-- > 0) crc = tables[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc32c_hardware(uint32_t previous, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    uint64_t crc = (uint32_t)~previous;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        crc = _mm_crc32_u64(crc, word);
        p += 8;
        count -= 8;
    }
    uint32_t crc32 = (uint32_t)crc;
    while (count-- > 0) crc32 = _mm_crc32_u8(crc32, *p++);
    return ~crc32;
}

uint32_t clash_crc32c(uint32_t previous, const void *bytes, size_t count) {
    static int hardware = -1;
    int has = __atomic_load_n(&hardware, __ATOMIC_RELAXED);
    if (has < 0) {
        __builtin_cpu_init();
        has = __builtin_cpu_supports("sse4.2") ? 1 : 0;
        __atomic_store_n(&hardware, has, __ATOMIC_RELAXED);
    }
    return has ? crc32c_hardware(previous, bytes, count) : clash_crc32c_portable(previous, bytes, count);
}
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
uint32_t clash_crc32c(uint32_t previous, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    uint32_t crc = ~previous;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        crc = __crc32cd(crc, word);
        p += 8;
        count -= 8;
    }
    while (count-- > 0) crc = __crc32cb(crc, *p++);
    return ~crc;
}
#else
uint32_t clash_crc32c(uint32_t previous, const void *bytes, size_t count) {
    return clash_crc32c_portable(previous, bytes, count);
}
#endif
