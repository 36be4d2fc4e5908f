#!/usr/bin/python3
"""Runs a .tflite model on Arm NN's CpuRef backend for a batch of raw inputs.

Usage: /usr/bin/python3 armnn_run.py MODEL.tflite INPUTS.bin OUTPUTS.bin

INPUTS.bin holds N records back to back; a record is the raw bytes of every graph input in
subgraph order (int8 models: one byte per element). OUTPUTS.bin receives N records of every
graph output's raw bytes, in the same order. One JSON line on stdout describes the bindings.
Errors go to stderr; exit status 3 means Arm NN could not load the model, 2 anything else. Arm NN 20.08 calls abort() on some models it cannot
handle (per-channel FULLY_CONNECTED weights), so callers must treat a signal as a failure too.

Needs Debian's python3-pyarmnn, libarmnn-cpuref-backend22 and libarmnntfliteparser22, and the
system interpreter (/usr/bin/python3), which is the one those packages install into.
"""
import json
import sys

BACKEND = "CpuRef"


LOAD_FAILED = 3


def fail(message, status=2):
    sys.stderr.write("armnn_run: " + message + "\n")
    sys.exit(status)


def load_pyarmnn():
    try:
        import numpy  # noqa: F401  (pyarmnn needs it; a clear message beats a traceback)
        import pyarmnn
    except ImportError as error:
        fail("cannot import pyarmnn (%s); install the Debian packages python3-pyarmnn "
             "libarmnn-cpuref-backend22 libarmnntfliteparser22 and run /usr/bin/python3" % error)
    return pyarmnn


def bindings(parser, names, kind):
    get = parser.GetNetworkInputBindingInfo if kind == "input" else parser.GetNetworkOutputBindingInfo
    found = [get(0, name) for name in names]
    described = []
    for name, (_, info) in zip(names, found):
        shape = info.GetShape()
        described.append({
            "name": name,
            "shape": [shape[i] for i in range(shape.GetNumDimensions())],
            "bytes": info.GetNumBytes(),
        })
    return found, described


def main(argv):
    if len(argv) != 4:
        fail("usage: armnn_run.py MODEL.tflite INPUTS.bin OUTPUTS.bin")
    model_path, inputs_path, outputs_path = argv[1:]
    ann = load_pyarmnn()
    import numpy as np

    try:
        parser = ann.ITfLiteParser()
        network = parser.CreateNetworkFromBinaryFile(model_path)
        if parser.GetSubgraphCount() < 1:
            fail("model has no subgraph", LOAD_FAILED)
        in_bind, in_desc = bindings(parser, parser.GetSubgraphInputTensorNames(0), "input")
        out_bind, out_desc = bindings(parser, parser.GetSubgraphOutputTensorNames(0), "output")
        runtime = ann.IRuntime(ann.CreationOptions())
        optimized, _ = ann.Optimize(network, [ann.BackendId(BACKEND)],
                                    runtime.GetDeviceSpec(), ann.OptimizerOptions())
        net_id, load_message = runtime.LoadNetwork(optimized)
    except RuntimeError as error:
        fail("cannot load %s: %s" % (model_path, error), LOAD_FAILED)
    if load_message:
        sys.stderr.write("armnn_run: LoadNetwork: %s\n" % load_message)

    record_in = sum(d["bytes"] for d in in_desc)
    record_out = sum(d["bytes"] for d in out_desc)
    with open(inputs_path, "rb") as f:
        raw = f.read()
    if record_in == 0 or len(raw) % record_in != 0:
        fail("%s holds %d bytes, not a whole number of %d-byte input records"
             % (inputs_path, len(raw), record_in))
    count = len(raw) // record_in

    out = bytearray()
    for n in range(count):
        arrays = []
        offset = n * record_in
        for (_, info), desc in zip(in_bind, in_desc):
            # Tensor dtype follows the binding (int8 for QAsymmS8); reinterpret the raw bytes.
            dtype = ann.Tensor(info).get_memory_area().dtype
            arrays.append(np.frombuffer(raw, dtype=dtype, count=desc["bytes"] // dtype.itemsize,
                                        offset=offset))
            offset += desc["bytes"]
        input_tensors = ann.make_input_tensors(in_bind, arrays)
        output_tensors = ann.make_output_tensors(out_bind)
        runtime.EnqueueWorkload(net_id, input_tensors, output_tensors)
        for result in ann.workload_tensors_to_ndarray(output_tensors):
            out += result.tobytes()
    if len(out) != count * record_out:
        fail("produced %d output bytes, expected %d" % (len(out), count * record_out))
    with open(outputs_path, "wb") as f:
        f.write(out)
    print(json.dumps({"backend": BACKEND, "version": ann.ARMNN_VERSION, "count": count,
                      "inputs": in_desc, "outputs": out_desc}))


if __name__ == "__main__":
    try:
        main(sys.argv)
    except SystemExit:
        raise
    except Exception as error:  # parser and runtime errors arrive as RuntimeError
        fail("%s: %s" % (type(error).__name__, error))
