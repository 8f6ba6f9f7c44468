import * as tf from "@tensorflow/tfjs-core";
import { GPT, RMS_NORM_EPS, rotaryTables } from "@llm/model";
import { causalAttention, embeddingLookup, linear, reluSquared, rmsNorm, ropeNormHeads, softcapCrossEntropy } from "../../packages/model/src/ops/index.js";
export class FastGPT extends GPT {
  private w(n: string) { return this.parameters().get(n) as unknown as tf.Tensor2D; }
  override loss(inputs: tf.Tensor, targets: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const { nEmbd: C, nHead: nh, nLayer, softcap } = this.config;
      const hs = C / nh; const [B, T] = inputs.shape as [number, number]; const N = B * T;
      const tables = rotaryTables(hs, 0, T, this.config.ropeBase);
      const cos = tf.tensor2d(tables.cos, [T, hs / 2]); const sin = tf.tensor2d(tables.sin, [T, hs / 2]);
      let x = rmsNorm(embeddingLookup(this.w("transformer.wte.weight"), tf.reshape(inputs, [N])) as tf.Tensor2D, RMS_NORM_EPS);
      for (let i = 0; i < nLayer; i++) {
        const p = `transformer.h.${i}`;
        const xn = rmsNorm(x, RMS_NORM_EPS);
        const q = ropeNormHeads(linear(xn, this.w(`${p}.attn.c_q.weight`)), B, T, nh, cos, sin, RMS_NORM_EPS);
        const k = ropeNormHeads(linear(xn, this.w(`${p}.attn.c_k.weight`)), B, T, nh, cos, sin, RMS_NORM_EPS);
        const v = tf.transpose(tf.reshape(linear(xn, this.w(`${p}.attn.c_v.weight`)), [B, T, nh, hs]), [0, 2, 1, 3]);
        const y = causalAttention(q, k, v);
        x = tf.add(x, linear(tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [N, C]) as tf.Tensor2D, this.w(`${p}.attn.c_proj.weight`)));
        x = tf.add(x, linear(reluSquared(linear(rmsNorm(x, RMS_NORM_EPS), this.w(`${p}.mlp.c_fc.weight`))), this.w(`${p}.mlp.c_proj.weight`)));
      }
      const raw = linear(rmsNorm(x, RMS_NORM_EPS), this.w("lm_head.weight"));
      return softcapCrossEntropy(raw, tf.reshape(tf.cast(targets, "int32"), [-1]) as tf.Tensor1D, softcap);
    });
  }
}
