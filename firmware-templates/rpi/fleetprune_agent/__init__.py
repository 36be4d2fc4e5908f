"""fleetprune device agent for Raspberry Pi: OTA model updates over MQTT and field telemetry.

Speaks protocol v1 of docs/protocol.md; libs/protocol (TypeScript) is the reference
implementation and the e2e spec cross-checks this package against it.
"""

__version__ = "0.1.0"
FIRMWARE_NAME = "fleetprune-rpi " + __version__
