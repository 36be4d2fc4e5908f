"""Runs a .tflite model: tflite_runtime, else tensorflow.lite, else Arm NN (pyarmnn), else none.

With no runtime the agent still connects and reports, and refuses offers with a clear reason.
The self-test (load + one inference) runs in a child process: Arm NN 20.08 calls abort() on
models it cannot handle, and a crash there must become a rollback, not a dead agent.
"""

import os
import subprocess
import sys
import time

from .errors import AgentError

# Builtins Arm NN's TfLiteParser maps (a conservative subset: what our exporter emits and more).
ARMNN_OPS = ("ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEQUANTIZE",
             "FULLY_CONNECTED", "LOGISTIC", "MAX_POOL_2D", "MEAN", "MUL", "PAD", "QUANTIZE", "RELU",
             "RELU6", "RESHAPE", "SOFTMAX", "SUB", "TANH")
INSTALL_HINT = ("install tflite-runtime (pip) or Debian's python3-pyarmnn libarmnn-cpuref-backend22 "
                "libarmnntfliteparser22")
SELF_TEST_TIMEOUT_S = 60


def _tflite_interpreter():
    try:
        from tflite_runtime.interpreter import Interpreter
        return Interpreter
    except ImportError:
        pass
    try:
        import tensorflow as tf
        return tf.lite.Interpreter
    except ImportError:
        return None


def detect(prefer=None):
    """Name of the runtime to use ('tflite', 'armnn') or None; `prefer` forces one when importable."""
    order = [prefer] if prefer else ["tflite", "armnn"]
    for name in order:
        if name == "tflite" and _tflite_interpreter() is not None:
            return "tflite"
        if name == "armnn":
            try:
                import numpy  # noqa: F401
                import pyarmnn  # noqa: F401
                return "armnn"
            except ImportError:
                continue
    return None


def default_ops(name):
    """Operators the runtime is known to run; None means "any builtin" (full TFLite)."""
    return ARMNN_OPS if name == "armnn" else None


class Model:
    """One loaded model with int8/uint8/float32 input and output, one input and one output tensor."""

    def __init__(self, runner, in_shape, in_dtype, in_q, out_dtype, out_q):
        self._run = runner
        self.input_shape = list(in_shape)
        self.input_dtype = in_dtype
        self.input_quant = in_q
        self.output_dtype = out_dtype
        self.output_quant = out_q

    @property
    def input_elements(self):
        n = 1
        for d in self.input_shape:
            n *= d
        return n

    def quantize(self, values01):
        """Float inputs in [0, 1] (pixels / 255) as the model's input tensor."""
        import numpy as np
        x = np.asarray(values01, dtype=np.float64).reshape(self.input_shape)
        if self.input_dtype == "float32":
            return x.astype(np.float32)
        scale, zero = self.input_quant
        lo, hi = (-128, 127) if self.input_dtype == "int8" else (0, 255)
        # floor(v + 0.5) is JavaScript's Math.round, as libs/tflite quantizes pixels (numpy rounds half to even).
        q = np.clip(np.floor(x / scale + 0.5) + zero, lo, hi)
        return q.astype(np.int8 if self.input_dtype == "int8" else np.uint8)

    def infer(self, tensor):
        """Runs one input tensor; returns (class probabilities as floats, latency in ms)."""
        import numpy as np
        started = time.perf_counter()
        raw = np.asarray(self._run(tensor)).reshape(-1)
        latency = (time.perf_counter() - started) * 1000.0
        if self.output_dtype == "float32":
            out = raw.astype(np.float64)
        else:
            scale, zero = self.output_quant
            out = (raw.astype(np.float64) - zero) * scale
        if out.size and (out.min() < -1e-6 or out.max() > 1.0 + 1e-3):
            e = np.exp(out - out.max())  # logits, not probabilities: softmax them
            out = e / e.sum()
        return out, latency


def _dtype_name(np_dtype):
    return {"int8": "int8", "uint8": "uint8", "float32": "float32"}.get(str(np_dtype))


def _load_tflite(path):
    interpreter = _tflite_interpreter()(model_path=path)
    interpreter.allocate_tensors()
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]

    def run(tensor):
        interpreter.set_tensor(inp["index"], tensor)
        interpreter.invoke()
        return interpreter.get_tensor(out["index"])
    return Model(run, inp["shape"], _dtype_name(inp["dtype"]), inp["quantization"],
                 _dtype_name(out["dtype"]), out["quantization"])


def _load_armnn(path):
    import pyarmnn as ann
    parser = ann.ITfLiteParser()
    network = parser.CreateNetworkFromBinaryFile(path)
    in_bind = parser.GetNetworkInputBindingInfo(0, parser.GetSubgraphInputTensorNames(0)[0])
    out_bind = parser.GetNetworkOutputBindingInfo(0, parser.GetSubgraphOutputTensorNames(0)[0])
    rt = ann.IRuntime(ann.CreationOptions())
    optimized, _ = ann.Optimize(network, [ann.BackendId("CpuRef")], rt.GetDeviceSpec(), ann.OptimizerOptions())
    net_id, _ = rt.LoadNetwork(optimized)

    def describe(info):
        shape = info.GetShape()
        dtype = _dtype_name(ann.Tensor(info).get_memory_area().dtype)
        return [shape[i] for i in range(shape.GetNumDimensions())], dtype, (
            info.GetQuantizationScale(), info.GetQuantizationOffset())

    in_shape, in_dtype, in_q = describe(in_bind[1])
    _, out_dtype, out_q = describe(out_bind[1])

    def run(tensor):
        inputs = ann.make_input_tensors([in_bind], [tensor])
        outputs = ann.make_output_tensors([out_bind])
        rt.EnqueueWorkload(net_id, inputs, outputs)
        return ann.workload_tensors_to_ndarray(outputs)[0]
    return Model(run, in_shape, in_dtype, in_q, out_dtype, out_q)


def load(path, name):
    """Loads `path` with runtime `name`; raises AgentError MODEL_INVALID with the engine's reason."""
    if name is None:
        raise AgentError("NO_RUNTIME", "no TFLite runtime is importable; " + INSTALL_HINT)
    try:
        model = _load_tflite(path) if name == "tflite" else _load_armnn(path)
    except Exception as error:  # engines raise RuntimeError/ValueError with their own text
        raise AgentError("MODEL_INVALID", "%s cannot load %s: %s" % (name, path, error)) from None
    if None in (model.input_dtype, model.output_dtype):
        raise AgentError("MODEL_INVALID", "%s has a tensor type other than int8, uint8 or float32" % path)
    return model


def self_test(path, name, timeout_s=SELF_TEST_TIMEOUT_S):
    """(ok, detail): load + one inference of a mid-grey input in a child process, bounded in time."""
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=package_parent + os.pathsep + os.environ.get("PYTHONPATH", ""))
    try:
        done = subprocess.run([sys.executable, "-m", "fleetprune_agent.selftest", path, name or ""],
                              env=env, capture_output=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return False, "self-test did not finish within %d s" % timeout_s
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    if done.returncode == 0 and lines:
        return True, lines[-1][:200]
    reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
    if done.returncode < 0:
        return False, "self-test killed by signal %d (the runtime crashed on this model)" % -done.returncode
    return False, (reason[-1] if reason else "self-test exited with %d" % done.returncode)[:200]
