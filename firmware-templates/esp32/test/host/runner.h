/* Modes of fp_host_runner; each reads vector lines and prints one result line per vector. */
#ifndef RUNNER_H_
#define RUNNER_H_

#include <stddef.h>

void run_crc(char **lines, size_t n);
void run_sha(char **lines, size_t n);
void run_frame(char **lines, size_t n);
void run_offer(char **lines, size_t n);
void run_cmd(char **lines, size_t n);
void run_write(char **lines, size_t n);
void run_assemble(char **lines, size_t n);
void run_sig(char **lines, size_t n);
void run_telemetry(char **lines, size_t n);
void run_ota(char **lines, size_t n);

#endif /* RUNNER_H_ */
