/**
 * The source of our SIMD wasm kernels (llm-kernels*.wasm): emits the module with WasmWriter.
 * Built at development time by scripts/build-simd-kernels.ts (committed .wasm files; a test
 * rebuilds and compares). Two variants: "fma" uses relaxed SIMD's f32x4.relaxed_madd (one fused
 * multiply-add on x64 with FMA3), "simd" plain SIMD mul + add.
 *
 * gemm(M, N, K, a, aRow, aK, b, bK, bN, c, cRow, pack, packA): C = A @ B with C[i, n] at c +
 * i*cRow + 4n, A[i, k] at a + i*aRow + k*aK and B[k, n] at b + k*bK + n*bN (byte addresses and
 * strides: any layout, so transposed operands and sub-blocks need no copy). N must be a multiple
 * of 8. B is first packed into `pack` (K * N floats) as panels of 8 columns; then an MR x 8
 * register-blocked micro-kernel (MR rows of A broadcast, two 4-lane B vectors, 2*MR
 * accumulators) runs over each panel. A transposed A (aRow = 4: its MR rows are adjacent floats,
 * one row of A^T every aK bytes) is first packed too when packA is not 0 (scratch of M * K
 * floats): each block of MR rows becomes one contiguous [K, MR] panel, because the strided rows
 * of a long A^T (the weight gradients x^T dy, K = tokens) map to a few cache sets and miss L1 on
 * every pass (measured 10-23 GFLOP/s unpacked against ~50 packed for 512 x 1024-2048 x 128).
 * Reference: the Goto/BLIS GEMM structure (packed panels, register micro-kernel), XNNPACK's
 * wasmsimd "splat" micro-kernels. Leaves out: cache blocking over K (our K <= 4096 fits the
 * panel in L2), N not a multiple of 8 (callers fall back to XNNPACK).
 */
import { type FunctionBuilder, type Local, WasmWriter } from "./wasm-writer.js";

export interface KernelVariant {
  /** Fused multiply-add through relaxed SIMD. */
  fma: boolean;
  /** Rows of the GEMM micro-kernel. */
  mr: number;
}

export const DEFAULT_MR = 4;

/** acc = a * b + acc (operands: locals). */
function madd(f: FunctionBuilder, fma: boolean, a: Local, b: Local, acc: Local): void {
  if (fma) f.get(a).get(b).get(acc).f32x4RelaxedMadd().set(acc);
  else f.get(a).get(b).f32x4Mul().get(acc).f32x4Add().set(acc);
}

function emitGemm(w: WasmWriter, v: KernelVariant): void {
  const f = w.fn("gemm", Array(13).fill("i32"));
  const [M, N, K, a, aRow, aK, b, bK, bN, c, ldc, pack, packA] = f.params as [
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
  ];
  const n0 = f.local("i32");
  const src = f.local("i32");
  const dst = f.local("i32");
  const kk = f.local("i32");
  const i0 = f.local("i32");
  const bp = f.local("i32");
  const q = f.local("i32");
  const cr = f.local("i32");
  const panelBytes = f.local("i32");
  const rows = Array.from({ length: v.mr }, () => f.local("i32"));
  const acc = Array.from({ length: 2 * v.mr }, () => f.local("v128"));
  const b0 = f.local("v128");
  const b1 = f.local("v128");
  const av = f.local("v128");

  f.get(K).i32Const(5).i32Shl().set(panelBytes);
  // ---- pack B: pack[(n0/8)*K*8 + k*8 + l] = B[k, n0 + l]
  f.i32Const(0).set(n0);
  f.get(pack).set(dst);
  f.loop(); // panels
  f.get(b).get(n0).get(bN).i32Mul().i32Add().set(src);
  f.get(K).set(kk);
  f.get(bN).i32Const(4).i32Eq();
  f.if();
  f.loop();
  f.get(dst).get(src).v128Load(0).v128Store(0);
  f.get(dst).get(src).v128Load(16).v128Store(16);
  f.get(src).get(bK).i32Add().set(src);
  f.get(dst).i32Const(32).i32Add().set(dst);
  f.get(kk).i32Const(1).i32Sub().tee(kk).brIf(0);
  f.end();
  f.else();
  f.loop();
  for (let l = 0; l < 8; l++) {
    f.get(dst);
    f.get(src);
    if (l > 0) f.get(bN).i32Const(l).i32Mul().i32Add();
    f.f32Load(0).f32Store(4 * l);
  }
  f.get(src).get(bK).i32Add().set(src);
  f.get(dst).i32Const(32).i32Add().set(dst);
  f.get(kk).i32Const(1).i32Sub().tee(kk).brIf(0);
  f.end();
  f.end(); // if
  f.get(n0).i32Const(8).i32Add().tee(n0).get(N).i32LtS().brIf(0);
  f.end(); // panels

  // ---- compute: per panel, MR rows at a time, then single rows
  // micro-kernel over rows i0 .. i0+mr of one panel. mode "rows4": A's rows are adjacent
  // (aRow = 4, a transposed operand), one pointer with constant row offsets; "packed": the
  // same from packA's contiguous panels; "any": per-row pointers, any strides. (Unrolling k
  // by 4 in "any" measured slower in V8.)
  type Mode = "rows4" | "packed" | "any";
  const step = (mr: number, u: number, rowOffset: (r: number) => [Local, number]) => {
    f.get(q)
      .v128Load(32 * u)
      .set(b0);
    f.get(q)
      .v128Load(32 * u + 16)
      .set(b1);
    for (let r = 0; r < mr; r++) {
      const [base, offset] = rowOffset(r);
      f.get(base).v128Load32Splat(offset).set(av);
      madd(f, v.fma, av, b0, acc[2 * r] as Local);
      madd(f, v.fma, av, b1, acc[2 * r + 1] as Local);
    }
  };
  const micro = (mr: number, mode: Mode) => {
    if (mode === "rows4") {
      f.get(a)
        .get(i0)
        .i32Const(2)
        .i32Shl()
        .i32Add()
        .set(rows[0] as Local);
    } else if (mode === "packed") {
      // block i0 / mr starts at packA + i0 * K * 4 bytes
      f.get(packA)
        .get(i0)
        .get(K)
        .i32Mul()
        .i32Const(2)
        .i32Shl()
        .i32Add()
        .set(rows[0] as Local);
    } else {
      for (let r = 0; r < mr; r++) {
        f.get(a).get(i0);
        if (r > 0) f.i32Const(r).i32Add();
        f.get(aRow)
          .i32Mul()
          .i32Add()
          .set(rows[r] as Local);
      }
    }
    for (let j = 0; j < 2 * mr; j++)
      f.f32Const(0)
        .f32x4Splat()
        .set(acc[j] as Local);
    f.get(bp).set(q);
    if (mode === "rows4" || mode === "packed") {
      const pa = rows[0] as Local;
      f.get(K).set(kk);
      f.loop();
      step(mr, 0, (r) => [pa, 4 * r]);
      if (mode === "packed")
        f.get(pa)
          .i32Const(4 * mr)
          .i32Add()
          .set(pa);
      else f.get(pa).get(aK).i32Add().set(pa);
      f.get(q).i32Const(32).i32Add().set(q);
      f.get(kk).i32Const(1).i32Sub().tee(kk).brIf(0);
      f.end();
    } else {
      f.get(K).set(kk);
      f.block();
      f.get(kk).i32Eqz().brIf(0);
      f.loop();
      step(mr, 0, (r) => [rows[r] as Local, 0]);
      for (let r = 0; r < mr; r++) {
        const row = rows[r] as Local;
        f.get(row).get(aK).i32Add().set(row);
      }
      f.get(q).i32Const(32).i32Add().set(q);
      f.get(kk).i32Const(1).i32Sub().tee(kk).brIf(0);
      f.end();
      f.end();
    }
    // c row pointer: c + i0*ldc + n0*4
    f.get(c).get(i0).get(ldc).i32Mul().i32Add().get(n0).i32Const(2).i32Shl().i32Add().set(cr);
    for (let r = 0; r < mr; r++) {
      f.get(cr)
        .get(acc[2 * r] as Local)
        .v128Store(0);
      f.get(cr)
        .get(acc[2 * r + 1] as Local)
        .v128Store(16);
      if (r < mr - 1) f.get(cr).get(ldc).i32Add().set(cr);
    }
  };

  const compute = (mode: Mode) => {
    f.i32Const(0).set(n0);
    f.get(pack).set(bp);
    f.loop(); // panels
    f.i32Const(0).set(i0);
    f.block();
    f.loop(); // blocks of MR rows
    f.get(i0).i32Const(v.mr).i32Add().get(M).i32GtS().brIf(1);
    micro(v.mr, mode);
    f.get(i0).i32Const(v.mr).i32Add().set(i0);
    f.br(0);
    f.end();
    f.end();
    f.block();
    f.loop(); // leftover rows (never packed)
    f.get(i0).get(M).i32GeS().brIf(1);
    micro(1, mode === "packed" ? "rows4" : mode);
    f.get(i0).i32Const(1).i32Add().set(i0);
    f.br(0);
    f.end();
    f.end();
    f.get(bp).get(panelBytes).i32Add().set(bp);
    f.get(n0).i32Const(8).i32Add().tee(n0).get(N).i32LtS().brIf(0);
    f.end();
  };
  f.get(aRow).i32Const(4).i32Eq();
  f.if();
  f.get(packA);
  f.if();
  // ---- pack A^T: packA[(i0/mr)*K*mr + k*mr + r] = A[i0 + r, k] for whole blocks of mr rows.
  // Row k of A^T is contiguous: read ks rows of it at a time (4, then 1 for K % 4) and deal
  // each block its ks x mr floats (a whole cache line when mr = 4), so reads stream and every
  // written line is filled at once (walking one block down K at stride aK thrashed L1).
  const panelA = f.local("i32");
  const aK2 = f.local("i32");
  const aK3 = f.local("i32");
  f.get(K)
    .i32Const(4 * v.mr)
    .i32Mul()
    .set(panelA);
  f.get(aK).get(aK).i32Add().tee(aK2).get(aK).i32Add().set(aK3);
  const packRows = (ks: number) => {
    f.block();
    f.loop(); // k (n0 is the k index here)
    f.get(n0).i32Const(ks).i32Add().get(K).i32GtS().brIf(1);
    f.get(a).get(n0).get(aK).i32Mul().i32Add().set(src);
    f.get(packA)
      .get(n0)
      .i32Const(4 * v.mr)
      .i32Mul()
      .i32Add()
      .set(dst);
    f.i32Const(0).set(i0);
    f.block();
    f.loop(); // blocks
    f.get(i0).i32Const(v.mr).i32Add().get(M).i32GtS().brIf(1);
    for (let u = 0; u < ks; u++) {
      const rowAt = () => {
        f.get(src);
        if (u > 0) f.get([aK, aK2, aK3][u - 1] as Local).i32Add();
      };
      if (v.mr === 4) {
        f.get(dst);
        rowAt();
        f.v128Load(0).v128Store(16 * u);
      } else
        for (let r = 0; r < v.mr; r++) {
          f.get(dst);
          rowAt();
          f.f32Load(4 * r).f32Store(4 * (u * v.mr + r));
        }
    }
    f.get(src)
      .i32Const(4 * v.mr)
      .i32Add()
      .set(src);
    f.get(dst).get(panelA).i32Add().set(dst);
    f.get(i0).i32Const(v.mr).i32Add().set(i0);
    f.br(0);
    f.end();
    f.end();
    f.get(n0).i32Const(ks).i32Add().set(n0);
    f.br(0);
    f.end();
    f.end();
  };
  f.i32Const(0).set(n0);
  packRows(4);
  packRows(1);
  compute("packed");
  f.else();
  compute("rows4");
  f.end();
  f.else();
  compute("any");
  f.end();
}

/** Vector constants of exp, splatted once per function into locals. */
interface ExpConsts {
  lo: Local;
  hi: Local;
  log2e: Local;
  half: Local;
  ln2hi: Local;
  ln2lo: Local;
  one: Local;
  c: Local[];
  bias: Local;
}

function splat(f: FunctionBuilder, value: number): Local {
  const l = f.local("v128");
  f.f32Const(value).f32x4Splat().set(l);
  return l;
}

function expConsts(f: FunctionBuilder): ExpConsts {
  const bias = f.local("v128");
  f.i32Const(127).i32x4Splat().set(bias);
  return {
    lo: splat(f, -87),
    hi: splat(f, 88),
    log2e: splat(f, Math.LOG2E),
    half: splat(f, 0.5),
    ln2hi: splat(f, 0.693359375),
    ln2lo: splat(f, -2.1219444e-4),
    one: splat(f, 1),
    c: [1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720].map((c) => splat(f, c)),
    bias,
  };
}

/**
 * out = exp(x) for 4 lanes (x is clobbered): n = floor(x log2e + 1/2), f = x - n ln2 (two-part
 * ln2), e^f by its degree-6 Taylor polynomial, times 2^n built in the exponent bits. Inputs
 * are clamped to [-87, 88]; relative error ~2e-7.
 */
function emitExp(f: FunctionBuilder, k: ExpConsts, x: Local, n: Local, out: Local): void {
  f.get(x).get(k.lo).f32x4Max().get(k.hi).f32x4Min().set(x);
  f.get(x).get(k.log2e).f32x4Mul().get(k.half).f32x4Add().f32x4Floor().set(n);
  f.get(x).get(n).get(k.ln2hi).f32x4Mul().f32x4Sub().get(n).get(k.ln2lo).f32x4Mul().f32x4Sub().set(x);
  // Horner: p = 1 + f (1 + f (c0 + f (c1 + f (c2 + f (c3 + f c4)))))
  const [c0, c1, c2, c3, c4] = k.c as [Local, Local, Local, Local, Local];
  f.get(x).get(c4).f32x4Mul().get(c3).f32x4Add();
  for (const c of [c2, c1, c0, k.one, k.one]) f.get(x).f32x4Mul().get(c).f32x4Add();
  f.set(out);
  f.get(n).i32x4TruncSatF32x4S().get(k.bias).i32x4Add().i32Const(23).i32x4Shl();
  f.get(out).f32x4Mul().set(out);
}

/** Horizontal reduction of 4 lanes with a binary f32 op. */
function reduce4(f: FunctionBuilder, v: Local, op: () => void): void {
  f.get(v).f32x4ExtractLane(0).get(v).f32x4ExtractLane(1);
  op();
  f.get(v).f32x4ExtractLane(2);
  op();
  f.get(v).f32x4ExtractLane(3);
  op();
}

/**
 * softmaxCrossEntropy(N, V, x, targets, weights, g, e, stats, cap): per row n of logits x [N, V]
 * (V a multiple of 4), z = cap tanh(x / cap) (or z = x when cap = 0), m = max z, s = sum exp(z - m);
 * g[n] = w[n] (softmax(z) - onehot(target)) dz/dx, with dz/dx = 1 - (z/cap)^2; stats[n] =
 * (m, s, z[target]) for the loss (sum_n w[n] (m + ln s - z[target]), taken in JS). e: V floats of
 * scratch.
 */
function emitSoftmaxCrossEntropy(w: WasmWriter): void {
  const f = w.fn("softmaxCrossEntropy", ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "f32"]);
  const [N, V, x, targets, weights, g, e, stats, cap] = f.params as [
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
  ];
  const k = expConsts(f);
  const row = f.local("i32");
  const rowBytes = f.local("i32");
  const xo = f.local("i32");
  const go = f.local("i32");
  const j = f.local("i32");
  const target = f.local("i32");
  const m = f.local("f32");
  const s = f.local("f32");
  const wn = f.local("f32");
  const zt = f.local("f32");
  const inv = f.local("f32");
  const invCap = f.local("f32");
  const hasCap = f.local("i32");
  const vcap = f.local("v128");
  const vinv2 = f.local("v128"); // 2 / cap
  const vinvCap = f.local("v128");
  const vm = f.local("v128");
  const vs = f.local("v128");
  const vinv = f.local("v128");
  const t0 = f.local("v128");
  const t1 = f.local("v128");
  const t2 = f.local("v128");
  f.get(V).i32Const(2).i32Shl().set(rowBytes);
  f.get(cap).f32Const(0).f32Gt().set(hasCap);
  f.f32Const(0).set(invCap);
  f.get(hasCap).if().f32Const(1).get(cap).f32Div().set(invCap).end();
  f.get(cap).f32x4Splat().set(vcap);
  f.get(invCap).f32x4Splat().set(vinvCap);
  f.get(invCap).get(invCap).f32Add().f32x4Splat().set(vinv2);
  f.i32Const(0).set(row);
  f.get(x).set(xo);
  f.get(g).set(go);
  f.block();
  f.get(N).i32Eqz().brIf(0);
  f.loop(); // rows
  // pass 1: z into g, running max
  f.f32Const(Number.NEGATIVE_INFINITY).f32x4Splat().set(vm);
  f.i32Const(0).set(j);
  f.get(hasCap).if();
  f.loop();
  // t0 = x * (2/cap); tanh(x/cap) = 1 - 2 / (exp(2x/cap) + 1)
  f.get(xo).get(j).i32Add().v128Load(0).get(vinv2).f32x4Mul().set(t0);
  emitExp(f, k, t0, t1, t2);
  f.get(k.one);
  f.get(k.one).get(k.one).f32x4Add();
  f.get(t2).get(k.one).f32x4Add();
  f.f32x4Div().f32x4Sub().get(vcap).f32x4Mul().set(t0);
  f.get(go).get(j).i32Add().get(t0).v128Store(0);
  f.get(vm).get(t0).f32x4Max().set(vm);
  f.get(j).i32Const(16).i32Add().tee(j).get(rowBytes).i32LtS().brIf(0);
  f.end();
  f.else();
  f.loop();
  f.get(xo).get(j).i32Add().v128Load(0).set(t0);
  f.get(go).get(j).i32Add().get(t0).v128Store(0);
  f.get(vm).get(t0).f32x4Max().set(vm);
  f.get(j).i32Const(16).i32Add().tee(j).get(rowBytes).i32LtS().brIf(0);
  f.end();
  f.end();
  reduce4(f, vm, () => f.f32Max());
  f.set(m);
  f.get(m).f32x4Splat().set(vm);
  // pass 2: e = exp(z - m), s = sum e
  f.f32Const(0).f32x4Splat().set(vs);
  f.i32Const(0).set(j);
  f.loop();
  f.get(go).get(j).i32Add().v128Load(0).get(vm).f32x4Sub().set(t0);
  emitExp(f, k, t0, t1, t2);
  f.get(e).get(j).i32Add().get(t2).v128Store(0);
  f.get(vs).get(t2).f32x4Add().set(vs);
  f.get(j).i32Const(16).i32Add().tee(j).get(rowBytes).i32LtS().brIf(0);
  f.end();
  reduce4(f, vs, () => f.f32Add());
  f.set(s);
  // target, weight, z[target]; stats
  f.get(targets).get(row).i32Const(2).i32Shl().i32Add().i32Load(0).set(target);
  f.get(weights).get(row).i32Const(2).i32Shl().i32Add().f32Load(0).set(wn);
  f.get(go).get(target).i32Const(2).i32Shl().i32Add().f32Load(0).set(zt);
  f.get(stats).get(row).i32Const(12).i32Mul().i32Add().get(m).f32Store(0);
  f.get(stats).get(row).i32Const(12).i32Mul().i32Add().get(s).f32Store(4);
  f.get(stats).get(row).i32Const(12).i32Mul().i32Add().get(zt).f32Store(8);
  f.get(wn).get(s).f32Div().tee(inv).f32x4Splat().set(vinv);
  // pass 3: gradient
  f.i32Const(0).set(j);
  f.get(hasCap).if();
  f.loop();
  f.get(go).get(j).i32Add().v128Load(0).get(vinvCap).f32x4Mul().set(t0); // z / cap
  f.get(go).get(j).i32Add();
  f.get(e).get(j).i32Add().v128Load(0).get(vinv).f32x4Mul();
  f.get(k.one).get(t0).get(t0).f32x4Mul().f32x4Sub();
  f.f32x4Mul().v128Store(0);
  f.get(j).i32Const(16).i32Add().tee(j).get(rowBytes).i32LtS().brIf(0);
  f.end();
  // g[target] -= w (1 - (z_t / cap)^2)
  f.get(go).get(target).i32Const(2).i32Shl().i32Add();
  f.get(go).get(target).i32Const(2).i32Shl().i32Add().f32Load(0);
  f.get(wn).f32Const(1).get(zt).get(invCap).f32Mul().get(zt).get(invCap).f32Mul().f32Mul().f32Sub().f32Mul();
  f.f32Sub().f32Store(0);
  f.else();
  f.loop();
  f.get(go).get(j).i32Add();
  f.get(e).get(j).i32Add().v128Load(0).get(vinv).f32x4Mul();
  f.v128Store(0);
  f.get(j).i32Const(16).i32Add().tee(j).get(rowBytes).i32LtS().brIf(0);
  f.end();
  f.get(go).get(target).i32Const(2).i32Shl().i32Add();
  f.get(go).get(target).i32Const(2).i32Shl().i32Add().f32Load(0).get(wn).f32Sub();
  f.f32Store(0);
  f.end();
  f.get(xo).get(rowBytes).i32Add().set(xo);
  f.get(go).get(rowBytes).i32Add().set(go);
  f.get(row).i32Const(1).i32Add().tee(row).get(N).i32LtS().brIf(0);
  f.end(); // rows
  f.end(); // block
}

/**
 * attentionSoftmax(BH, T, p, scale): in place over scores p [BH, T, T], row i of each head keeps
 * keys j <= i: p = softmax(p * scale) there, 0 beyond (T a multiple of 4).
 */
function emitAttentionSoftmax(w: WasmWriter): void {
  const f = w.fn("attentionSoftmax", ["i32", "i32", "i32", "f32"]);
  const [BH, T, p, scale] = f.params as [Local, Local, Local, Local];
  const k = expConsts(f);
  const b = f.local("i32");
  const i = f.local("i32");
  const j = f.local("i32");
  const ro = f.local("i32");
  const end = f.local("i32"); // bytes of the chunks that hold keys 0..i
  const rowBytes = f.local("i32");
  const vscale = f.local("v128");
  const vi = f.local("v128");
  const vj = f.local("v128");
  const lanes = f.local("v128");
  const four = f.local("v128");
  const invalid = f.local("v128");
  const ninf = f.local("v128");
  const zero = f.local("v128");
  const vm = f.local("v128");
  const vs = f.local("v128");
  const t0 = f.local("v128");
  const t1 = f.local("v128");
  const t2 = f.local("v128");
  const m = f.local("f32");
  f.get(T).i32Const(2).i32Shl().set(rowBytes);
  f.get(scale).f32x4Splat().set(vscale);
  f.v128ConstF32(0, 1, 2, 3).set(lanes);
  f.f32Const(4).f32x4Splat().set(four);
  f.f32Const(Number.NEGATIVE_INFINITY).f32x4Splat().set(ninf);
  f.f32Const(0).f32x4Splat().set(zero);
  f.get(p).set(ro);
  f.i32Const(0).set(b);
  f.loop(); // heads
  f.i32Const(0).set(i);
  f.loop(); // rows
  f.get(i).f32ConvertI32S().f32x4Splat().set(vi);
  // chunks 0 .. floor(i/4) inclusive
  f.get(i).i32Const(2).i32Shl().i32Const(-16).i32And().i32Const(16).i32Add().set(end);
  // pass 1: scale, mask, max
  f.get(ninf).set(vm);
  f.get(lanes).set(vj);
  f.i32Const(0).set(j);
  f.loop();
  f.get(vj).get(vi).f32x4Gt().set(invalid);
  f.get(ninf).get(ro).get(j).i32Add().v128Load(0).get(vscale).f32x4Mul().get(invalid).v128Bitselect().set(t0);
  f.get(ro).get(j).i32Add().get(t0).v128Store(0);
  f.get(vm).get(t0).f32x4Max().set(vm);
  f.get(vj).get(four).f32x4Add().set(vj);
  f.get(j).i32Const(16).i32Add().tee(j).get(end).i32LtS().brIf(0);
  f.end();
  reduce4(f, vm, () => f.f32Max());
  f.set(m);
  f.get(m).f32x4Splat().set(vm);
  // pass 2: exp, zero the masked lanes, sum
  f.get(zero).set(vs);
  f.get(lanes).set(vj);
  f.i32Const(0).set(j);
  f.loop();
  f.get(vj).get(vi).f32x4Gt().set(invalid);
  f.get(ro).get(j).i32Add().v128Load(0).get(vm).f32x4Sub().set(t0);
  emitExp(f, k, t0, t1, t2);
  f.get(zero).get(t2).get(invalid).v128Bitselect().set(t2);
  f.get(ro).get(j).i32Add().get(t2).v128Store(0);
  f.get(vs).get(t2).f32x4Add().set(vs);
  f.get(vj).get(four).f32x4Add().set(vj);
  f.get(j).i32Const(16).i32Add().tee(j).get(end).i32LtS().brIf(0);
  f.end();
  f.f32Const(1);
  reduce4(f, vs, () => f.f32Add());
  f.f32Div().f32x4Splat().set(vs);
  // pass 3: normalise
  f.i32Const(0).set(j);
  f.loop();
  f.get(ro).get(j).i32Add();
  f.get(ro).get(j).i32Add().v128Load(0).get(vs).f32x4Mul();
  f.v128Store(0);
  f.get(j).i32Const(16).i32Add().tee(j).get(end).i32LtS().brIf(0);
  f.end();
  // zeros after the last chunk
  f.block();
  f.loop();
  f.get(j).get(rowBytes).i32GeS().brIf(1);
  f.get(ro).get(j).i32Add().get(zero).v128Store(0);
  f.get(j).i32Const(16).i32Add().set(j);
  f.br(0);
  f.end();
  f.end();
  f.get(ro).get(rowBytes).i32Add().set(ro);
  f.get(i).i32Const(1).i32Add().tee(i).get(T).i32LtS().brIf(0);
  f.end(); // rows
  f.get(b).i32Const(1).i32Add().tee(b).get(BH).i32LtS().brIf(0);
  f.end(); // heads
}

/**
 * attentionSoftmaxGrad(rows, T, p, d, scale): in place over d [rows, T] (dL/dP), with p the
 * probabilities: d = p (d - sum_j d_j p_j) scale, the gradient of the scaled scores (T a
 * multiple of 4; masked keys have p = 0, so their gradient is 0).
 */
function emitAttentionSoftmaxGrad(w: WasmWriter): void {
  const f = w.fn("attentionSoftmaxGrad", ["i32", "i32", "i32", "i32", "f32"]);
  const [rows, T, p, d, scale] = f.params as [Local, Local, Local, Local, Local];
  const r = f.local("i32");
  const j = f.local("i32");
  const po = f.local("i32");
  const dd = f.local("i32");
  const rowBytes = f.local("i32");
  const vscale = f.local("v128");
  const vdot = f.local("v128");
  f.get(T).i32Const(2).i32Shl().set(rowBytes);
  f.get(scale).f32x4Splat().set(vscale);
  f.get(p).set(po);
  f.get(d).set(dd);
  f.i32Const(0).set(r);
  f.loop();
  f.f32Const(0).f32x4Splat().set(vdot);
  f.i32Const(0).set(j);
  f.loop();
  f.get(vdot)
    .get(po)
    .get(j)
    .i32Add()
    .v128Load(0)
    .get(dd)
    .get(j)
    .i32Add()
    .v128Load(0)
    .f32x4Mul()
    .f32x4Add()
    .set(vdot);
  f.get(j).i32Const(16).i32Add().tee(j).get(rowBytes).i32LtS().brIf(0);
  f.end();
  reduce4(f, vdot, () => f.f32Add());
  f.f32x4Splat().set(vdot);
  f.i32Const(0).set(j);
  f.loop();
  f.get(dd).get(j).i32Add();
  f.get(po).get(j).i32Add().v128Load(0);
  f.get(dd).get(j).i32Add().v128Load(0).get(vdot).f32x4Sub();
  f.f32x4Mul().get(vscale).f32x4Mul().v128Store(0);
  f.get(j).i32Const(16).i32Add().tee(j).get(rowBytes).i32LtS().brIf(0);
  f.end();
  f.get(po).get(rowBytes).i32Add().set(po);
  f.get(dd).get(rowBytes).i32Add().set(dd);
  f.get(r).i32Const(1).i32Add().tee(r).get(rows).i32LtS().brIf(0);
  f.end();
}

/** for (j = 0; j < bytes; j += 16) body(j): a vector loop over a byte length (> 0, multiple of 16). */
function vectorLoop(f: FunctionBuilder, j: Local, bytes: Local, body: () => void): void {
  f.i32Const(0).set(j);
  f.loop();
  body();
  f.get(j).i32Const(16).i32Add().tee(j).get(bytes).i32LtS().brIf(0);
  f.end();
}

/** relu2(n, x, y): y = max(x, 0)^2; relu2Grad(n, x, dy, dx): dx = 2 max(x, 0) dy (n a multiple of 4). */
function emitRelu2(w: WasmWriter): void {
  {
    const f = w.fn("relu2", ["i32", "i32", "i32"]);
    const [n, x, y] = f.params as [Local, Local, Local];
    const j = f.local("i32");
    const bytes = f.local("i32");
    const zero = f.local("v128");
    const t = f.local("v128");
    f.get(n).i32Const(2).i32Shl().set(bytes);
    f.f32Const(0).f32x4Splat().set(zero);
    vectorLoop(f, j, bytes, () => {
      f.get(x).get(j).i32Add().v128Load(0).get(zero).f32x4Max().set(t);
      f.get(y).get(j).i32Add().get(t).get(t).f32x4Mul().v128Store(0);
    });
  }
  {
    const f = w.fn("relu2Grad", ["i32", "i32", "i32", "i32"]);
    const [n, x, dy, dx] = f.params as [Local, Local, Local, Local];
    const j = f.local("i32");
    const bytes = f.local("i32");
    const zero = f.local("v128");
    f.get(n).i32Const(2).i32Shl().set(bytes);
    f.f32Const(0).f32x4Splat().set(zero);
    vectorLoop(f, j, bytes, () => {
      f.get(dx).get(j).i32Add();
      f.get(x).get(j).i32Add().v128Load(0).get(zero).f32x4Max();
      f.get(x).get(j).i32Add().v128Load(0).get(zero).f32x4Max().f32x4Add();
      f.get(dy).get(j).i32Add().v128Load(0).f32x4Mul().v128Store(0);
    });
  }
}

/**
 * rmsNorm(R, D, x, y, r, eps): per row y = x / sqrt(mean(x^2) + eps), r = 1/rms;
 * rmsNormGrad(R, D, dy, y, r, dx): dx = r (dy - y mean(dy y)) (D a multiple of 4).
 */
function emitRmsNorm(w: WasmWriter): void {
  {
    const f = w.fn("rmsNorm", ["i32", "i32", "i32", "i32", "i32", "f32"]);
    const [R, D, x, y, r, eps] = f.params as [Local, Local, Local, Local, Local, Local];
    const i = f.local("i32");
    const j = f.local("i32");
    const bytes = f.local("i32");
    const xo = f.local("i32");
    const yo = f.local("i32");
    const acc = f.local("v128");
    const t = f.local("v128");
    const inv = f.local("f32");
    f.get(D).i32Const(2).i32Shl().set(bytes);
    f.get(x).set(xo);
    f.get(y).set(yo);
    f.i32Const(0).set(i);
    f.loop();
    f.f32Const(0).f32x4Splat().set(acc);
    vectorLoop(f, j, bytes, () => {
      f.get(xo).get(j).i32Add().v128Load(0).set(t);
      f.get(acc).get(t).get(t).f32x4Mul().f32x4Add().set(acc);
    });
    f.f32Const(1);
    reduce4(f, acc, () => f.f32Add());
    f.get(D).f32ConvertI32S().f32Div().get(eps).f32Add().f32Sqrt().f32Div().set(inv);
    f.get(r).get(i).i32Const(2).i32Shl().i32Add().get(inv).f32Store(0);
    f.get(inv).f32x4Splat().set(acc);
    vectorLoop(f, j, bytes, () => {
      f.get(yo).get(j).i32Add().get(xo).get(j).i32Add().v128Load(0).get(acc).f32x4Mul().v128Store(0);
    });
    f.get(xo).get(bytes).i32Add().set(xo);
    f.get(yo).get(bytes).i32Add().set(yo);
    f.get(i).i32Const(1).i32Add().tee(i).get(R).i32LtS().brIf(0);
    f.end();
  }
  {
    const f = w.fn("rmsNormGrad", ["i32", "i32", "i32", "i32", "i32", "i32"]);
    const [R, D, dy, y, r, dx] = f.params as [Local, Local, Local, Local, Local, Local];
    const i = f.local("i32");
    const j = f.local("i32");
    const bytes = f.local("i32");
    const go = f.local("i32");
    const yo = f.local("i32");
    const xo = f.local("i32");
    const acc = f.local("v128");
    const vr = f.local("v128");
    f.get(D).i32Const(2).i32Shl().set(bytes);
    f.get(dy).set(go);
    f.get(y).set(yo);
    f.get(dx).set(xo);
    f.i32Const(0).set(i);
    f.loop();
    f.f32Const(0).f32x4Splat().set(acc);
    vectorLoop(f, j, bytes, () => {
      f.get(acc)
        .get(go)
        .get(j)
        .i32Add()
        .v128Load(0)
        .get(yo)
        .get(j)
        .i32Add()
        .v128Load(0)
        .f32x4Mul()
        .f32x4Add()
        .set(acc);
    });
    reduce4(f, acc, () => f.f32Add());
    f.get(D).f32ConvertI32S().f32Div().f32x4Splat().set(acc);
    f.get(r).get(i).i32Const(2).i32Shl().i32Add().f32Load(0).f32x4Splat().set(vr);
    vectorLoop(f, j, bytes, () => {
      f.get(xo).get(j).i32Add();
      f.get(go).get(j).i32Add().v128Load(0);
      f.get(yo).get(j).i32Add().v128Load(0).get(acc).f32x4Mul().f32x4Sub();
      f.get(vr).f32x4Mul().v128Store(0);
    });
    f.get(go).get(bytes).i32Add().set(go);
    f.get(yo).get(bytes).i32Add().set(yo);
    f.get(xo).get(bytes).i32Add().set(xo);
    f.get(i).i32Const(1).i32Add().tee(i).get(R).i32LtS().brIf(0);
    f.end();
  }
}

/**
 * ropeNorm(B, T, nh, hs, x, cos, sin, y, r, eps) (hs a multiple of 8): x [B*T, nh*hs] -> y
 * [B, nh, T, hs], per head the half-split rotation by cos/sin [T, hs/2] (x1 c + x2 s,
 * x2 c - x1 s) then RMSNorm over hs; r [B, nh, T] = 1/rms. ropeNormGrad(B, T, nh, hs, dy, y, r,
 * cos, sin, dx): dz = r (dy - y mean(dy y)), then the inverse rotation into dx [B*T, nh*hs].
 */
function emitRopeNorm(w: WasmWriter): void {
  for (const grad of [false, true]) {
    const f = grad
      ? w.fn("ropeNormGrad", ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"])
      : w.fn("ropeNorm", ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "f32"]);
    const [B, T, nh, hs] = f.params as [Local, Local, Local, Local];
    // forward: x, cos, sin, y, r, eps; backward: dy, y, r, cos, sin, dx
    const [p4, p5, p6, p7, p8, p9] = f.params.slice(4) as [Local, Local, Local, Local, Local, Local];
    const cos = grad ? p7 : p5;
    const sin = grad ? p8 : p6;
    const y = grad ? p5 : p7;
    const r = grad ? p6 : p8;
    const b = f.local("i32");
    const t = f.local("i32");
    const h = f.local("i32");
    const j = f.local("i32");
    const src = f.local("i32"); // forward: x row; backward: dx row (sequential)
    const hp = f.local("i32"); // y (and dy) of this (b, h, t)
    const ct = f.local("i32");
    const ri = f.local("i32");
    const hsB = f.local("i32");
    const halfB = f.local("i32");
    const acc = f.local("v128");
    const x1 = f.local("v128");
    const x2 = f.local("v128");
    const c = f.local("v128");
    const sn = f.local("v128");
    const vinv = f.local("v128");
    const vdot = f.local("v128");
    const inv = f.local("f32");
    f.get(hs).i32Const(2).i32Shl().set(hsB);
    f.get(hs).i32Const(1).i32Shl().set(halfB);
    f.get(grad ? p9 : p4).set(src);
    f.i32Const(0).set(b);
    f.loop();
    f.i32Const(0).set(t);
    f.loop();
    f.get(t).get(halfB).i32Mul().set(ct);
    f.i32Const(0).set(h);
    f.loop();
    // ri = (b nh + h) T + t; its head row at y + ri hs 4
    f.get(b).get(nh).i32Mul().get(h).i32Add().get(T).i32Mul().get(t).i32Add().set(ri);
    f.get(ri).get(hsB).i32Mul().set(hp);
    const cs = () => {
      f.get(cos).get(ct).i32Add().get(j).i32Add().v128Load(0).set(c);
      f.get(sin).get(ct).i32Add().get(j).i32Add().v128Load(0).set(sn);
    };
    if (!grad) {
      const eps = p9;
      f.f32Const(0).f32x4Splat().set(acc);
      vectorLoop(f, j, halfB, () => {
        f.get(src).get(j).i32Add().v128Load(0).set(x1);
        f.get(src).get(halfB).i32Add().get(j).i32Add().v128Load(0).set(x2);
        cs();
        // y1 = x1 c + x2 s -> x1 slot; y2 = x2 c - x1 s
        f.get(x1).get(c).f32x4Mul().get(x2).get(sn).f32x4Mul().f32x4Add();
        f.get(x2).get(c).f32x4Mul().get(x1).get(sn).f32x4Mul().f32x4Sub().set(x2);
        f.set(x1);
        f.get(y).get(hp).i32Add().get(j).i32Add().get(x1).v128Store(0);
        f.get(y).get(hp).i32Add().get(halfB).i32Add().get(j).i32Add().get(x2).v128Store(0);
        f.get(acc).get(x1).get(x1).f32x4Mul().f32x4Add().get(x2).get(x2).f32x4Mul().f32x4Add().set(acc);
      });
      f.f32Const(1);
      reduce4(f, acc, () => f.f32Add());
      f.get(hs).f32ConvertI32S().f32Div().get(eps).f32Add().f32Sqrt().f32Div().set(inv);
      f.get(r).get(ri).i32Const(2).i32Shl().i32Add().get(inv).f32Store(0);
      f.get(inv).f32x4Splat().set(vinv);
      vectorLoop(f, j, hsB, () => {
        f.get(y).get(hp).i32Add().get(j).i32Add();
        f.get(y).get(hp).i32Add().get(j).i32Add().v128Load(0).get(vinv).f32x4Mul().v128Store(0);
      });
    } else {
      const dy = p4;
      const gAt = (off: "lo" | "hi") => {
        f.get(dy).get(hp).i32Add().get(j).i32Add();
        if (off === "hi") f.get(halfB).i32Add();
        f.v128Load(0);
      };
      const yAt = (off: "lo" | "hi") => {
        f.get(y).get(hp).i32Add().get(j).i32Add();
        if (off === "hi") f.get(halfB).i32Add();
        f.v128Load(0);
      };
      f.f32Const(0).f32x4Splat().set(acc);
      vectorLoop(f, j, hsB, () => {
        f.get(acc);
        gAt("lo");
        yAt("lo");
        f.f32x4Mul().f32x4Add().set(acc);
      });
      reduce4(f, acc, () => f.f32Add());
      f.get(hs).f32ConvertI32S().f32Div().f32x4Splat().set(vdot);
      f.get(r).get(ri).i32Const(2).i32Shl().i32Add().f32Load(0).f32x4Splat().set(vinv);
      vectorLoop(f, j, halfB, () => {
        // dz1, dz2 = r (g - y dot)
        gAt("lo");
        yAt("lo");
        f.get(vdot).f32x4Mul().f32x4Sub().get(vinv).f32x4Mul().set(x1);
        gAt("hi");
        yAt("hi");
        f.get(vdot).f32x4Mul().f32x4Sub().get(vinv).f32x4Mul().set(x2);
        cs();
        f.get(src).get(j).i32Add();
        f.get(x1).get(c).f32x4Mul().get(x2).get(sn).f32x4Mul().f32x4Sub().v128Store(0);
        f.get(src).get(halfB).i32Add().get(j).i32Add();
        f.get(x1).get(sn).f32x4Mul().get(x2).get(c).f32x4Mul().f32x4Add().v128Store(0);
      });
    }
    f.get(src).get(hsB).i32Add().set(src);
    f.get(h).i32Const(1).i32Add().tee(h).get(nh).i32LtS().brIf(0);
    f.end();
    f.get(t).i32Const(1).i32Add().tee(t).get(T).i32LtS().brIf(0);
    f.end();
    f.get(b).i32Const(1).i32Add().tee(b).get(B).i32LtS().brIf(0);
    f.end();
  }
}

/**
 * adamw(n, p, g, m, v, pOut, mOut, vOut, lr, beta1, beta2, eps, decay, ib1, ib2) (n a multiple
 * of 4): m' = b1 m + (1-b1) g, v' = b2 v + (1-b2) g^2, p' = p decay - lr (m' ib1) / (sqrt(v' ib2) + eps),
 * with decay = 1 - lr wd and ib = 1 / bias correction.
 */
function emitAdamW(w: WasmWriter): void {
  const f = w.fn("adamw", [
    "i32",
    "i32",
    "i32",
    "i32",
    "i32",
    "i32",
    "i32",
    "i32",
    "f32",
    "f32",
    "f32",
    "f32",
    "f32",
    "f32",
    "f32",
  ]);
  const [n, p, g, m, v, pOut, mOut, vOut, lr, b1, b2, eps, decay, ib1, ib2] = f.params as Local[] as [
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
    Local,
  ];
  const j = f.local("i32");
  const bytes = f.local("i32");
  const vs = [lr, b1, b2, eps, decay, ib1, ib2].map((x) => {
    const l = f.local("v128");
    f.get(x).f32x4Splat().set(l);
    return l;
  }) as [Local, Local, Local, Local, Local, Local, Local];
  const [vlr, vb1, vb2, veps, vdecay, vib1, vib2] = vs;
  const c1 = f.local("v128");
  const c2 = f.local("v128");
  f.f32Const(1).get(b1).f32Sub().f32x4Splat().set(c1);
  f.f32Const(1).get(b2).f32Sub().f32x4Splat().set(c2);
  const gi = f.local("v128");
  const mi = f.local("v128");
  const vi = f.local("v128");
  f.get(n).i32Const(2).i32Shl().set(bytes);
  vectorLoop(f, j, bytes, () => {
    f.get(g).get(j).i32Add().v128Load(0).set(gi);
    f.get(m).get(j).i32Add().v128Load(0).get(vb1).f32x4Mul().get(gi).get(c1).f32x4Mul().f32x4Add().set(mi);
    f.get(v)
      .get(j)
      .i32Add()
      .v128Load(0)
      .get(vb2)
      .f32x4Mul()
      .get(gi)
      .get(gi)
      .f32x4Mul()
      .get(c2)
      .f32x4Mul()
      .f32x4Add()
      .set(vi);
    f.get(mOut).get(j).i32Add().get(mi).v128Store(0);
    f.get(vOut).get(j).i32Add().get(vi).v128Store(0);
    f.get(pOut).get(j).i32Add();
    f.get(p).get(j).i32Add().v128Load(0).get(vdecay).f32x4Mul();
    f.get(vlr).get(mi).get(vib1).f32x4Mul().f32x4Mul();
    f.get(vi).get(vib2).f32x4Mul().f32x4Sqrt().get(veps).f32x4Add();
    f.f32x4Div().f32x4Sub().v128Store(0);
  });
}

/**
 * weightedSum(n, x, a, y, b, out): out = x a + y b, a multiply and an add per lane (no fused
 * multiply-add in either build, so both give JS's float32 result when b * y is exact, e.g. b a
 * power of two; n a multiple of 4; out may be y). DataParallel's sum of two gradient slices.
 */
function emitWeightedSum(w: WasmWriter): void {
  const f = w.fn("weightedSum", ["i32", "i32", "f32", "i32", "f32", "i32"]);
  const [n, x, a, y, b, out] = f.params as [Local, Local, Local, Local, Local, Local];
  const j = f.local("i32");
  const bytes = f.local("i32");
  const va = f.local("v128");
  const vb = f.local("v128");
  f.get(a).f32x4Splat().set(va);
  f.get(b).f32x4Splat().set(vb);
  f.get(n).i32Const(2).i32Shl().set(bytes);
  vectorLoop(f, j, bytes, () => {
    f.get(out).get(j).i32Add();
    f.get(x).get(j).i32Add().v128Load(0).get(va).f32x4Mul();
    f.get(y).get(j).i32Add().v128Load(0).get(vb).f32x4Mul();
    f.f32x4Add().v128Store(0);
  });
}

/** The module's bytes for one variant. */
export function buildSimdKernels(v: KernelVariant): Uint8Array {
  const w = new WasmWriter();
  emitGemm(w, v);
  emitSoftmaxCrossEntropy(w);
  emitAttentionSoftmax(w);
  emitAttentionSoftmaxGrad(w);
  emitRelu2(w);
  emitRmsNorm(w);
  emitAdamW(w);
  emitRopeNorm(w);
  emitWeightedSum(w);
  return w.bytes();
}
