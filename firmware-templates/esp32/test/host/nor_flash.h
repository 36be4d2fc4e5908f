/*
 * A simulated NOR flash slot for the assembler tests: erase sets whole sectors to 0xFF, a
 * write can only clear bits (new = old AND data), as on the ESP32's SPI flash. An erase or
 * write out of bounds or off the sector grid aborts the run, so the assembler's erase
 * policy is tested, not assumed.
 */
#ifndef NOR_FLASH_H_
#define NOR_FLASH_H_

#include "fp_assembler.h"

typedef struct nor_flash {
  uint8_t *bytes;
  uint32_t size;
  uint32_t sector; /* 0: plain RAM, writes copy */
  uint32_t erases;
} nor_flash;

void nor_flash_init(nor_flash *f, uint32_t size, uint32_t sector);
fp_slot_sink nor_flash_sink(nor_flash *f);

#endif /* NOR_FLASH_H_ */
