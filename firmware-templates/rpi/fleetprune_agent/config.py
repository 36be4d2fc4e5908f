"""The agent's config.json: defaults, merge, validation; relative paths resolve to its folder.

    {"mqtt_url": "mqtt://broker:1883", "device_id": "...", "password": "...",
     "profile": {"name": "rpi4", "flash_bytes": 67108864, "ram_bytes": 268435456, "supported_ops": null},
     "state_dir": "state", "public_key_file": "signing-public.pem",
     "samples": {"dir": "/usr/share/datasets/fashion-mnist"},
     "intervals": {"inference_ms": 1000, "telemetry_s": 60, "status_s": 300}}
"""

import copy
import json
import os
import re
from urllib.parse import urlsplit

from . import limits as L
from .errors import AgentError
from .samples import FASHION_MNIST_DIR

PLACEHOLDER = "CHANGE-ME"
DEFAULTS = {
    "mqtt_url": None,
    "device_id": None,
    "password": None,
    "profile": {"name": "rpi", "flash_bytes": L.MAX_MODEL_SIZE, "ram_bytes": 256 * 1024 * 1024,
                "supported_ops": None},
    "state_dir": "state",
    "public_key_pem": None,
    "public_key_file": None,
    "samples": {"dir": FASHION_MNIST_DIR, "images": None, "labels": None, "enabled": True},
    "intervals": {"inference_ms": 1000, "telemetry_s": 60, "status_s": 300, "keepalive_s": 30},
    "ota": {"max_in_flight": 4, "request_timeout_ms": L.OTA_REQUEST_TIMEOUT_MS,
            "max_request_timeout_ms": L.OTA_MAX_REQUEST_TIMEOUT_MS, "max_silent_rounds": L.OTA_MAX_SILENT_ROUNDS,
            "persist_every_ms": 1000},
    "runtime": None,
    "log_level": "info",
}
POSITIVE = {("intervals", "inference_ms"), ("intervals", "telemetry_s"), ("intervals", "status_s"),
            ("intervals", "keepalive_s"), ("ota", "max_in_flight"), ("ota", "request_timeout_ms"),
            ("ota", "max_request_timeout_ms"), ("ota", "max_silent_rounds"), ("profile", "flash_bytes"),
            ("profile", "ram_bytes")}


def _merge(base, over, where):
    out = copy.deepcopy(base)
    for key, value in over.items():
        if key not in base:
            raise AgentError("CONFIG", "%s has an unknown key %r" % (where, key))
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise AgentError("CONFIG", "%s.%s must be an object" % (where, key))
            out[key] = _merge(base[key], value, where + "." + key)
        else:
            out[key] = value
    return out


def _need_text(config, key, hint):
    value = config.get(key)
    if not isinstance(value, str) or not value or PLACEHOLDER in value:
        raise AgentError("CONFIG", "config %s is not set: %s" % (key, hint))


def load_config(path):
    """Reads, merges over DEFAULTS and validates config.json; raises AgentError CONFIG saying what to fix."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            raw = json.load(f)
    except (OSError, ValueError) as error:
        raise AgentError("CONFIG", "cannot read config %s: %s" % (path, error)) from None
    if not isinstance(raw, dict):
        raise AgentError("CONFIG", "%s must hold a JSON object" % path)
    raw.pop("_comment", None)
    config = _merge(DEFAULTS, raw, "config")
    base = os.path.dirname(os.path.abspath(path))
    _need_text(config, "mqtt_url", "the broker URL, e.g. mqtt://192.168.1.10:1883")
    _need_text(config, "device_id", "the device id the server issued (fleetprune devices create)")
    _need_text(config, "password", "the device's MQTT secret the server issued")
    if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", config["device_id"]) is None:
        raise AgentError("CONFIG", "device_id must be 1-64 of A-Z a-z 0-9 _ -")
    url = urlsplit(config["mqtt_url"])
    if url.scheme not in ("mqtt", "mqtts", "tcp", "ssl") or not url.hostname:
        raise AgentError("CONFIG", "mqtt_url must look like mqtt://host:1883 or mqtts://host:8883")
    for section, key in POSITIVE:
        value = config[section][key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise AgentError("CONFIG", "%s.%s must be a positive number" % (section, key))
    name = config["profile"]["name"]
    if not isinstance(name, str) or re.fullmatch(r"[\x20-\x7e]{1,64}", name) is None:
        raise AgentError("CONFIG", "profile.name must be 1-64 printable ASCII characters (it goes in status)")
    ops = config["profile"]["supported_ops"]
    if ops is not None and (not isinstance(ops, list) or not all(isinstance(o, str) for o in ops)):
        raise AgentError("CONFIG", "profile.supported_ops must be null or a list of TFLite builtin names")
    config["state_dir"] = os.path.join(base, config["state_dir"])
    if config["public_key_pem"] is None:
        if not config["public_key_file"]:
            raise AgentError("CONFIG", "set public_key_pem or public_key_file (the server's signing key)")
        key_path = os.path.join(base, config["public_key_file"])
        try:
            with open(key_path, "r", encoding="ascii") as f:
                config["public_key_pem"] = f.read()
        except (OSError, UnicodeError) as error:
            raise AgentError("CONFIG", "cannot read public_key_file %s: %s" % (key_path, error)) from None
    for key in ("images", "labels"):
        if config["samples"][key]:
            config["samples"][key] = os.path.join(base, config["samples"][key])
    return config
