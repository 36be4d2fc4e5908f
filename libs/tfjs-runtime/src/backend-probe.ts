import * as tf from '@tensorflow/tfjs-core';

/**
 * One tiny training step on the active backend: conv -> relu -> max-pool, gradients for
 * both input and filter. Loading is not enough: a backend can load yet lack a gradient
 * kernel (stock wasm) or fail inside native code (a broken libtensorflow).
 * Throws if a kernel is missing or a gradient is non-finite or identically zero.
 */
export function probeTrainingStep(): void {
  tf.tidy(() => {
    // Fixed, non-symmetric values so the check is deterministic and gradients cannot vanish.
    const x = tf.tensor4d(
      Array.from({ length: 2 * 6 * 6 * 2 }, (_, i) => Math.sin(i * 0.7)),
      [2, 6, 6, 2],
    );
    const w = tf.tensor4d(
      Array.from({ length: 3 * 3 * 2 * 3 }, (_, i) => Math.cos(i * 1.3)),
      [3, 3, 2, 3],
    );
    const loss = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
      tf.sum(
        tf.square(
          tf.maxPool(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')), 2, 1, 'valid'),
        ),
      );
    const [dx, dw] = tf.grads(loss)([x, w]);
    for (const [name, grad] of [
      ['input', dx],
      ['filter', dw],
    ] as const) {
      const values = grad.dataSync();
      if (!values.every(Number.isFinite)) throw new Error(`probe: ${name} gradient is not finite`);
      if (values.every((v) => v === 0)) throw new Error(`probe: ${name} gradient is all zero`);
    }
  });
}
