"""Hard limits of protocol v1 (docs/protocol.md, libs/protocol/src/limits.ts)."""

PROTOCOL_VERSION = 1
MAX_MODEL_SIZE = 64 * 1024 * 1024
MIN_CHUNK_SIZE = 256
MAX_CHUNK_SIZE = 65536
DEFAULT_CHUNK_SIZE = 8192
MAX_JSON_PAYLOAD = 4096
MAX_SAMPLES_PAYLOAD = 65536
MAX_OPS = 64
MAX_SAMPLE_ITEMS = 16
MAX_SAMPLE_BYTES = 16384
CONFIDENCE_BINS = 10
MAX_WINDOW_SAMPLES = 1000000
MAX_WINDOW_MS = 86400000
MAX_LATENCY_MS = 3600000
U32_MAX = 0xFFFFFFFF
EPOCH_MS_MAX = 8640000000000000
CHUNK_HEADER_SIZE = 20
MAX_CHUNK_FRAME = CHUNK_HEADER_SIZE + MAX_CHUNK_SIZE
OTA_REQUEST_TIMEOUT_MS = 5000
OTA_MAX_REQUEST_TIMEOUT_MS = 60000
OTA_MAX_SILENT_ROUNDS = 10

TOPIC_ROOT = "fleetprune/v1/devices"
# Channel -> (qos, retained, max payload bytes), the table of docs/protocol.md.
CHANNELS = {
    "status": (1, True, MAX_JSON_PAYLOAD),
    "ota/offer": (1, True, MAX_JSON_PAYLOAD),
    "ota/request": (0, False, MAX_JSON_PAYLOAD),
    "ota/chunk": (0, False, MAX_CHUNK_FRAME),
    "ota/progress": (0, False, MAX_JSON_PAYLOAD),
    "ota/result": (1, False, MAX_JSON_PAYLOAD),
    "telemetry": (1, False, MAX_JSON_PAYLOAD),
    "samples": (1, False, MAX_SAMPLES_PAYLOAD),
    "cmd": (1, False, MAX_JSON_PAYLOAD),
}
# What a device subscribes to: exactly its server-to-device channels, never ".../#".
DEVICE_SUBSCRIPTIONS = ("ota/offer", "ota/chunk", "cmd")
