"""The MQTT connection (paho-mqtt 1.6 or 2.x): will, credentials, reconnects, an event queue.

paho calls back on its network thread; every callback only puts an event on `events`, so all
agent logic runs on one thread and needs no locks. Events: ("connected",), ("disconnected",),
("message", topic, payload bytes).
"""

import logging
import queue
import ssl
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt

from .limits import CHANNELS, DEVICE_SUBSCRIPTIONS
from .protocol import status_will, topic

log = logging.getLogger("fleetprune.mqtt")


def _code(value):
    # paho 2 passes ReasonCode objects, paho 1 plain ints.
    return int(getattr(value, "value", value) or 0)


class MqttLink:
    """One device connection; publish() is safe from the agent thread while paho runs its own."""

    def __init__(self, url, device_id, password, keepalive_s=30):
        self.device_id = device_id
        self.events = queue.Queue()
        parts = urlsplit(url)
        self._host = parts.hostname
        self._port = parts.port or (8883 if parts.scheme in ("mqtts", "ssl") else 1883)
        self._keepalive = int(keepalive_s)
        api = getattr(mqtt, "CallbackAPIVersion", None)
        kwargs = {"client_id": device_id, "clean_session": True}
        if api is not None:
            kwargs["callback_api_version"] = api.VERSION2
        self.client = mqtt.Client(**kwargs)
        self.client.username_pw_set(device_id, password)
        will_topic, will_payload, qos, retain = status_will(device_id)
        self.client.will_set(will_topic, will_payload, qos=qos, retain=retain)
        if parts.scheme in ("mqtts", "ssl"):
            self.client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    def start(self):
        """Connects in the background; paho keeps reconnecting until stop()."""
        self.client.connect_async(self._host, self._port, keepalive=self._keepalive)
        self.client.loop_start()

    def stop(self, last=None):
        """Disconnects cleanly (no last will), after `last` (a publish) is acknowledged or 2 s pass."""
        if last is not None:
            try:
                last.wait_for_publish(timeout=2)
            except (RuntimeError, ValueError, TypeError):
                pass  # paho 1.6 has no timeout argument, or the message was never queued
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(self, client, userdata, flags, rc, *rest):
        code = _code(rc)
        if code == 0:
            self.events.put(("connected",))
        else:
            log.warning("broker refused the connection (code %d): check device_id and password", code)

    def _on_disconnect(self, client, userdata, *args):
        self.events.put(("disconnected",))

    def _on_message(self, client, userdata, msg):
        self.events.put(("message", msg.topic, bytes(msg.payload)))

    def subscribe_all(self):
        """Exactly the device's server-to-device channels, never `.../#` (it would echo our publishes)."""
        self.client.subscribe([(topic(self.device_id, c), CHANNELS[c][0]) for c in DEVICE_SUBSCRIPTIONS])

    def publish(self, channel, payload):
        qos, retain, _ = CHANNELS[channel]
        return self.client.publish(topic(self.device_id, channel), payload, qos=qos, retain=retain)
