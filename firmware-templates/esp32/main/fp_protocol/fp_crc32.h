/* CRC-32 of IEEE 802.3 / zlib (reflected 0xEDB88320, init and final XOR 0xFFFFFFFF). */
#ifndef FP_CRC32_H_
#define FP_CRC32_H_

#include <stddef.h>
#include <stdint.h>

/* CRC-32 of `data`; pass the previous result as `crc` to continue over pieces (0 to start),
 * so fp_crc32(b, n, fp_crc32(a, m, 0)) is the CRC of a followed by b. */
uint32_t fp_crc32(const uint8_t *data, size_t len, uint32_t crc);

#endif /* FP_CRC32_H_ */
