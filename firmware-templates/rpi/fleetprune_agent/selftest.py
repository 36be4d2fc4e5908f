"""Child process of runtime.self_test: load a model and run one inference; exit 0 on success."""

import json
import sys

from . import runtime
from .errors import AgentError


def main(argv):
    path = argv[1]
    name = argv[2] if len(argv) > 2 and argv[2] else runtime.detect()
    try:
        model = runtime.load(path, name)
        probs, latency = model.infer(model.quantize([0.5] * model.input_elements))
    except AgentError as error:
        sys.stderr.write(str(error) + "\n")
        return 3
    except Exception as error:  # an engine error during the first inference
        sys.stderr.write("first inference failed: %s: %s\n" % (type(error).__name__, error))
        return 3
    if len(probs) == 0:
        sys.stderr.write("model produced no output\n")
        return 3
    print(json.dumps({"runtime": name, "outputs": len(probs), "latencyMs": round(latency, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
