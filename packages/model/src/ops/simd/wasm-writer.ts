/**
 * WasmWriter: a small WebAssembly binary writer for our SIMD kernels: a module that imports its
 * memory ("env"."memory", the tfjs-backend-wasm heap) and exports functions whose bodies are
 * emitted instruction by instruction (with TypeScript loops as the macro language, so micro-
 * kernels are unrolled at build time). Only the instructions the kernels use are named.
 * Reference: the WebAssembly core spec's binary format (sections 1, 2, 3, 7, 10), the SIMD and
 * relaxed-SIMD proposals' opcode tables. Leaves out: tables, globals, data segments, imports
 * other than the memory, multi-value blocks.
 */

export type ValType = "i32" | "f32" | "f64" | "v128";
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b };

function uleb(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function sleb(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

function name(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s);
  uleb(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/** A local variable index with its type (for readability of kernel code). */
export interface Local {
  index: number;
  type: ValType;
}

/** Emits one function body. Methods push bytes and return `this` where chaining helps. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly localTypes: ValType[] = [];
  readonly params: Local[];

  constructor(
    readonly exportName: string,
    paramTypes: ValType[],
    readonly resultTypes: ValType[],
  ) {
    this.params = paramTypes.map((type, index) => ({ index, type }));
  }

  get paramTypes(): ValType[] {
    return this.params.map((p) => p.type);
  }

  local(type: ValType): Local {
    const index = this.params.length + this.localTypes.length;
    this.localTypes.push(type);
    return { index, type };
  }

  /** The locals declaration (runs of equal types). */
  localsBytes(): number[] {
    const out: number[] = [];
    const runs: Array<[number, ValType]> = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0] += 1;
      else runs.push([1, t]);
    }
    uleb(out, runs.length);
    for (const [n, t] of runs) {
      uleb(out, n);
      out.push(VALTYPE[t]);
    }
    return out;
  }

  private op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  private simd(opcode: number): this {
    this.code.push(0xfd);
    uleb(this.code, opcode);
    return this;
  }

  private memarg(align: number, offset: number): this {
    uleb(this.code, align);
    uleb(this.code, offset);
    return this;
  }

  // control
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    this.op(0x0c);
    uleb(this.code, depth);
    return this;
  }
  brIf(depth: number): this {
    this.op(0x0d);
    uleb(this.code, depth);
    return this;
  }
  return(): this {
    return this.op(0x0f);
  }
  drop(): this {
    return this.op(0x1a);
  }
  select(): this {
    return this.op(0x1b);
  }

  // locals
  get(l: Local): this {
    this.op(0x20);
    uleb(this.code, l.index);
    return this;
  }
  set(l: Local): this {
    this.op(0x21);
    uleb(this.code, l.index);
    return this;
  }
  tee(l: Local): this {
    this.op(0x22);
    uleb(this.code, l.index);
    return this;
  }

  // memory (offset in bytes, added to the address on the stack)
  i32Load(offset = 0): this {
    return this.op(0x28).memarg(2, offset);
  }
  f32Load(offset = 0): this {
    return this.op(0x2a).memarg(2, offset);
  }
  i32Store(offset = 0): this {
    return this.op(0x36).memarg(2, offset);
  }
  f32Store(offset = 0): this {
    return this.op(0x38).memarg(2, offset);
  }
  v128Load(offset = 0): this {
    return this.simd(0).memarg(4, offset);
  }
  v128Load32Splat(offset = 0): this {
    return this.simd(9).memarg(2, offset);
  }
  v128Store(offset = 0): this {
    return this.simd(11).memarg(4, offset);
  }

  // constants
  i32Const(v: number): this {
    this.op(0x41);
    sleb(this.code, v);
    return this;
  }
  f32Const(v: number): this {
    this.op(0x43);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    return this.op(...b);
  }
  f64Const(v: number): this {
    this.op(0x44);
    const b = new Uint8Array(new Float64Array([v]).buffer);
    return this.op(...b);
  }

  /** v128.const of four f32 lanes. */
  v128ConstF32(a: number, b: number, c: number, d: number): this {
    this.simd(12);
    return this.op(...new Uint8Array(new Float32Array([a, b, c, d]).buffer));
  }

  // i32
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  i32LtS(): this {
    return this.op(0x48);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32LeS(): this {
    return this.op(0x4c);
  }
  i32GeS(): this {
    return this.op(0x4e);
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  i32ShrU(): this {
    return this.op(0x76);
  }

  // f32 / f64 scalar
  f32Gt(): this {
    return this.op(0x5e);
  }
  f32ConvertI32S(): this {
    return this.op(0xb2);
  }
  f32Sqrt(): this {
    return this.op(0x91);
  }
  f32Add(): this {
    return this.op(0x92);
  }
  f32Sub(): this {
    return this.op(0x93);
  }
  f32Mul(): this {
    return this.op(0x94);
  }
  f32Div(): this {
    return this.op(0x95);
  }
  f32Max(): this {
    return this.op(0x97);
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Mul(): this {
    return this.op(0xa2);
  }
  f32DemoteF64(): this {
    return this.op(0xb6);
  }
  f64PromoteF32(): this {
    return this.op(0xbb);
  }

  // v128
  i32x4Splat(): this {
    return this.simd(17);
  }
  f32x4Splat(): this {
    return this.simd(19);
  }
  f32x4ExtractLane(lane: number): this {
    return this.simd(31).op(lane);
  }
  f32x4Gt(): this {
    return this.simd(68);
  }
  v128And(): this {
    return this.simd(78);
  }
  v128Bitselect(): this {
    return this.simd(82);
  }
  f32x4Floor(): this {
    return this.simd(104);
  }
  i32x4Shl(): this {
    return this.simd(171);
  }
  i32x4Add(): this {
    return this.simd(174);
  }
  f32x4Sqrt(): this {
    return this.simd(227);
  }
  f32x4Add(): this {
    return this.simd(228);
  }
  f32x4Sub(): this {
    return this.simd(229);
  }
  f32x4Mul(): this {
    return this.simd(230);
  }
  f32x4Div(): this {
    return this.simd(231);
  }
  f32x4Min(): this {
    return this.simd(232);
  }
  f32x4Max(): this {
    return this.simd(233);
  }
  i32x4TruncSatF32x4S(): this {
    return this.simd(248);
  }
  f32x4ConvertI32x4S(): this {
    return this.simd(250);
  }
  /** relaxed SIMD: a * b + c (fused on x64 with FMA3); operands pushed a, b, c. */
  f32x4RelaxedMadd(): this {
    return this.simd(0x105);
  }
}

/** A module of exported functions over one imported memory. */
export class WasmWriter {
  private readonly functions: FunctionBuilder[] = [];

  fn(exportName: string, params: ValType[], results: ValType[] = []): FunctionBuilder {
    const f = new FunctionBuilder(exportName, params, results);
    this.functions.push(f);
    return f;
  }

  bytes(): Uint8Array {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, body: number[]) => {
      out.push(id);
      uleb(out, body.length);
      for (const b of body) out.push(b);
    };
    // types: one per function (duplicates are allowed)
    const types: number[] = [];
    uleb(types, this.functions.length);
    for (const f of this.functions) {
      types.push(0x60);
      uleb(types, f.paramTypes.length);
      for (const p of f.paramTypes) types.push(VALTYPE[p]);
      uleb(types, f.resultTypes.length);
      for (const r of f.resultTypes) types.push(VALTYPE[r]);
    }
    section(1, types);
    const imports: number[] = [];
    uleb(imports, 1);
    name(imports, "env");
    name(imports, "memory");
    imports.push(0x02, 0x00); // memory, limits without a maximum
    uleb(imports, 1);
    section(2, imports);
    const funcs: number[] = [];
    uleb(funcs, this.functions.length);
    this.functions.forEach((_, i) => {
      uleb(funcs, i);
    });
    section(3, funcs);
    const exports: number[] = [];
    uleb(exports, this.functions.length);
    this.functions.forEach((f, i) => {
      name(exports, f.exportName);
      exports.push(0x00);
      uleb(exports, i);
    });
    section(7, exports);
    const code: number[] = [];
    uleb(code, this.functions.length);
    for (const f of this.functions) {
      const body = [...f.localsBytes(), ...f.code, 0x0b];
      uleb(code, body.length);
      for (const b of body) code.push(b);
    }
    section(10, code);
    return Uint8Array.from(out);
  }
}
