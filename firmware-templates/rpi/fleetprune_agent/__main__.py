"""python3 -m fleetprune_agent --config config.json"""

import argparse
import logging
import sys

from .config import load_config
from .errors import AgentError, ProtocolError


def main(argv=None):
    parser = argparse.ArgumentParser(prog="fleetprune_agent", description="fleetprune Raspberry Pi device agent")
    parser.add_argument("--config", required=True, help="path of config.json")
    args = parser.parse_args(argv)
    # A 4 KB payload can nest ~2000 levels deep; json must not refuse what JSON.parse accepts.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    try:
        config = load_config(args.config)
    except AgentError as error:
        sys.stderr.write("fleetprune_agent: %s\n" % error)
        return 2
    logging.basicConfig(level=getattr(logging, str(config["log_level"]).upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    from .agent import Agent  # after config: a missing paho gives a clear message below
    try:
        Agent(config).run()
    except (AgentError, ProtocolError) as error:
        logging.getLogger("fleetprune").error("%s", error)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
