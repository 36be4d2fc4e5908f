"""Unit tests of fleetprune_agent; run from firmware-templates/rpi: python3 -m unittest discover -s tests -t ."""

import logging

# The agent logs every dropped message; the tests drop many on purpose.
logging.getLogger("fleetprune").setLevel(logging.CRITICAL)
