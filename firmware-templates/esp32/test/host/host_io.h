/* Line and hex helpers of the host test runner (vectors come from the TypeScript side). */
#ifndef HOST_IO_H_
#define HOST_IO_H_

#include <stddef.h>
#include <stdint.h>

/* Reads all of stdin; splits it into NUL-terminated lines in place. Returns the line count. */
size_t host_read_lines(char ***lines);
/* Splits a line at spaces in place; returns the word count (at most max). */
size_t host_words(char *line, char **words, size_t max);
/* Decodes hex ("-" is empty) into a malloc'd buffer; exits on bad input. */
uint8_t *host_unhex(const char *hex, size_t *len);
/* Decodes a hex string argument to a malloc'd C string, or NULL for "-". */
char *host_text(const char *hex);
void host_print_hex(const uint8_t *data, size_t len);
/* Exits with status 2 and a message: a broken vector file, not a verdict. */
void host_die(const char *what);

#endif /* HOST_IO_H_ */
