/** Why a simulated device or the fleet simulator could not do what it was asked. */
export type DeviceErrorCode =
  | 'BAD_OPTION' // an option out of range or missing; the message names it
  | 'BAD_SHIFT' // a distribution-shift spec (`noise:<stddev>`, `classes:<list>[@share]`) is malformed
  | 'CONNECT_FAILED' // the broker refused or never answered the first CONNECT
  | 'STATE_CORRUPT' // a file under the device's state directory could not be read back
  | 'TIMEOUT' // waitFor gave up
  | 'STOPPED'; // the agent was stopped while something waited on it

/** The one error class of devices/; messages start with `Devices:` and say what to do. */
export class DeviceError extends Error {
  constructor(
    readonly code: DeviceErrorCode,
    message: string,
  ) {
    super(`Devices: ${message}`);
    this.name = 'DeviceError';
  }
}
