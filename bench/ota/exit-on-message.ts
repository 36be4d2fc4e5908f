// Preloaded (`node -r`) into the server when the benchmark profiles it: Nest's shutdown hooks
// end the process by re-raising the signal, and a process killed by a signal never writes its
// --cpu-prof file, so the benchmark asks for a normal exit over the IPC channel instead.
process.on('message', (message) => {
  if (message === 'exit') process.exit(0);
});
