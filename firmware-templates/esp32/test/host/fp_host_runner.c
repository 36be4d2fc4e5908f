/* Host test runner of the firmware's protocol core: `fp_host_runner <mode> < vectors`. */
#include <stdio.h>
#include <string.h>

#include "host_io.h"
#include "runner.h"

int main(int argc, char **argv) {
  static const struct {
    const char *name;
    void (*run)(char **, size_t);
  } modes[] = {{"crc", run_crc},     {"sha", run_sha},         {"frame", run_frame},
               {"offer", run_offer}, {"cmd", run_cmd},         {"write", run_write},
               {"assemble", run_assemble}, {"sig", run_sig}, {"telemetry", run_telemetry}, {"ota", run_ota}};
  char **lines;
  size_t n, i;
  if (argc != 2) host_die("usage: fp_host_runner crc|sha|frame|offer|cmd|write|assemble|sig|telemetry|ota < vectors");
  for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
    if (strcmp(argv[1], modes[i].name) != 0) continue;
    n = host_read_lines(&lines);
    modes[i].run(lines, n);
    return fflush(stdout) == 0 ? 0 : 1;
  }
  host_die("unknown mode");
  return 2;
}
