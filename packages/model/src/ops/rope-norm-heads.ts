/**
 * ropeNormHeads: the attention input preparation of q and k in one op: x [B*T, C] (a linear
 * projection's output) -> split into nh heads -> half-split rotary embedding (x1 c + x2 s,
 * -x1 s + x2 c) with cos/sin [T, hs/2] -> RMSNorm over each head -> [B, nh, T, hs]. On wasm one
 * fused kernel each way; elsewhere plain tf ops. Reference: nanochat's apply_rotary_emb and
 * QK-norm. Leaves out: interleaved RoPE, partial rotary.
 */
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op.js";
import { onWasm } from "./register-wasm-kernels.js";
import { ROPE_NORM_GRAD_KERNEL, ROPE_NORM_KERNEL } from "./wasm-pointwise.js";

/** Plain tf ops: the specification. */
function plain(
  x: tf.Tensor2D,
  B: number,
  T: number,
  nh: number,
  cos: tf.Tensor,
  sin: tf.Tensor,
  eps: number,
): tf.Tensor4D {
  const C = x.shape[1];
  const hs = C / nh;
  const half = hs / 2;
  const h = tf.reshape(x, [B, T, nh, hs]); // [B, T, nh, hs]
  const c = tf.reshape(cos, [T, 1, half]); // [T, 1, hs/2]
  const s = tf.reshape(sin, [T, 1, half]); // [T, 1, hs/2]
  const [x1, x2] = tf.split(h, [half, half], 3) as [tf.Tensor, tf.Tensor]; // [B, T, nh, hs/2]
  const y1 = tf.add(tf.mul(x1, c), tf.mul(x2, s));
  const y2 = tf.sub(tf.mul(x2, c), tf.mul(x1, s));
  const z = tf.concat([y1, y2], 3); // [B, T, nh, hs]
  const normed = tf.mul(z, tf.rsqrt(tf.add(tf.mean(tf.square(z), -1, true), eps)));
  return tf.transpose(normed, [0, 2, 1, 3]) as tf.Tensor4D; // [B, nh, T, hs]
}

/**
 * @param x [B*T, nh*hs] projections
 * @param cos [T, hs/2] (any shape with T*hs/2 entries), cos of the rotary angles of positions
 * @param sin same shape as cos
 * @returns [B, nh, T, hs]
 */
export function ropeNormHeads(
  x: tf.Tensor2D,
  B: number,
  T: number,
  nh: number,
  cos: tf.Tensor,
  sin: tf.Tensor,
  eps = 1e-6,
): tf.Tensor4D {
  if (!(onWasm() && x.dtype === "float32")) return tf.tidy(() => plain(x, B, T, nh, cos, sin, eps));
  const attrs = { B, T, nh, eps };
  const op = customOp((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, r] = tf.engine().runKernel(ROPE_NORM_KERNEL, { x: xi, cos, sin }, attrs) as [
      tf.Tensor,
      tf.Tensor,
    ];
    save([y as tf.Tensor, r as tf.Tensor, cos, sin]);
    return {
      value: y as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [ys, rs, cs, sn] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return tf
          .engine()
          .runKernel(ROPE_NORM_GRAD_KERNEL, { dy, y: ys, r: rs, cos: cs, sin: sn }, {}) as tf.Tensor;
      },
    };
  });
  return op(x) as tf.Tensor4D;
}
