;; GDAL's bilinear row kernels of the 8-bit RGB fast path (src/tiles/rgb8.rows.ts: the bulk of rowFour,
;; the 2×2 kernel, and of rowThree, the 3 × 3 triangle kernel) in WebAssembly SIMD: the same fixed-point
;; integers (weights of One = 2^11 per axis, rounded by Half2 and shifted by 22), so every byte equals
;; the JavaScript kernels'. `npm run build:wasm` assembles it into
;; bilinear.wasm.ts. The caller lays out the linear memory (rgb8.simd.ts) and pads every region by 32 bytes:
;; loads and stores here run up to 7 elements past a range's end.
(module
  (memory (export "memory") 1)

  ;; v[k] = m0 · top[k] + m1 · bottom[k] for k in [0, n) (bytes in, int32 out), 8 at a time.
  (func (export "blend") (param $top i32) (param $bottom i32) (param $v i32) (param $n i32) (param $m0 i32) (param $m1 i32)
    (local $k i32) (local $M0 v128) (local $M1 v128) (local $T v128) (local $B v128)
    (local.set $M0 (i16x8.splat (local.get $m0)))
    (local.set $M1 (i16x8.splat (local.get $m1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $k) (local.get $n)))
        (local.set $T (v128.load8x8_u (i32.add (local.get $top) (local.get $k))))
        (local.set $B (v128.load8x8_u (i32.add (local.get $bottom) (local.get $k))))
        (v128.store (i32.add (local.get $v) (i32.shl (local.get $k) (i32.const 2)))
          (i32x4.add (i32x4.extmul_low_i16x8_u (local.get $T) (local.get $M0)) (i32x4.extmul_low_i16x8_u (local.get $B) (local.get $M1))))
        (v128.store offset=16 (i32.add (local.get $v) (i32.shl (local.get $k) (i32.const 2)))
          (i32x4.add (i32x4.extmul_high_i16x8_u (local.get $T) (local.get $M0)) (i32x4.extmul_high_i16x8_u (local.get $B) (local.get $M1))))
        (local.set $k (i32.add (local.get $k) (i32.const 8)))
        (br $next))))

;; Channels (r, g, b, next r) of the pixel between blended columns at p and p + 12, weight u1 on the
  ;; second: (One · a + u1 · (b - a) + Half2) >> 22, in 0..255.
  (func $mix (param $p i32) (param $u1 i32) (result v128)
    (local $A v128)
    (local.set $A (v128.load (local.get $p)))
    (i32x4.shr_s
      (i32x4.add
        (i32x4.add (i32x4.shl (local.get $A) (i32.const 11)) (v128.const i32x4 0x200000 0x200000 0x200000 0x200000))
        (i32x4.mul (i32x4.splat (local.get $u1)) (i32x4.sub (v128.load offset=12 (local.get $p)) (local.get $A))))
      (i32.const 22)))

  ;; The packing of channels into RGBA (narrow, narrow, alpha) is written out in each kernel below: as a
  ;; function of its own, a call per pair (V8 in Node 20 does not inline it), the kernels took 6-8 % longer
  ;; (`npm run bench:kernels`).
  ;; out[i] for i in [lo, hi), two pixels a step (an odd last one is written twice, the second time into
  ;; out[hi], which the caller does not read): the pixel between blended columns tap[i] and tap[i] + 1
  ;; (v: 3 int32 a column), RGBA with alpha 255.
  (func (export "bulk") (param $v i32) (param $tap i32) (param $n1 i32) (param $out i32) (param $lo i32) (param $hi i32)
    (local $i i32) (local $o i32) (local $o1 i32) (local $w v128)
    (local.set $i (local.get $lo))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $hi)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $o1 (select (i32.add (local.get $o) (i32.const 4)) (local.get $o)
          (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $hi))))
        (local.set $w
          (i16x8.narrow_i32x4_s
            (call $mix
              (i32.add (local.get $v) (i32.mul (i32.load (i32.add (local.get $tap) (local.get $o))) (i32.const 12)))
              (i32.load (i32.add (local.get $n1) (local.get $o))))
            (call $mix
              (i32.add (local.get $v) (i32.mul (i32.load (i32.add (local.get $tap) (local.get $o1))) (i32.const 12)))
              (i32.load (i32.add (local.get $n1) (local.get $o1))))))
        (i64.store (i32.add (local.get $out) (local.get $o))
          (i64.or
            (i64x2.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $w) (local.get $w)))
            (i64.const 0xff000000ff000000)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next))))

  ;; v[k] = m0 · r0[k] + m1 · r1[k] + m2 · r2[k] for k in [0, n), 8 at a time (three rows of the triangle kernel).
  (func (export "blend3") (param $r0 i32) (param $r1 i32) (param $r2 i32) (param $v i32) (param $n i32) (param $m0 i32) (param $m1 i32) (param $m2 i32)
    (local $k i32) (local $M0 v128) (local $M1 v128) (local $M2 v128) (local $A v128) (local $B v128) (local $C v128) (local $at i32)
    (local.set $M0 (i16x8.splat (local.get $m0)))
    (local.set $M1 (i16x8.splat (local.get $m1)))
    (local.set $M2 (i16x8.splat (local.get $m2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $k) (local.get $n)))
        (local.set $A (v128.load8x8_u (i32.add (local.get $r0) (local.get $k))))
        (local.set $B (v128.load8x8_u (i32.add (local.get $r1) (local.get $k))))
        (local.set $C (v128.load8x8_u (i32.add (local.get $r2) (local.get $k))))
        (local.set $at (i32.add (local.get $v) (i32.shl (local.get $k) (i32.const 2))))
        (v128.store (local.get $at)
          (i32x4.add (i32x4.add (i32x4.extmul_low_i16x8_u (local.get $A) (local.get $M0)) (i32x4.extmul_low_i16x8_u (local.get $B) (local.get $M1)))
            (i32x4.extmul_low_i16x8_u (local.get $C) (local.get $M2))))
        (v128.store offset=16 (local.get $at)
          (i32x4.add (i32x4.add (i32x4.extmul_high_i16x8_u (local.get $A) (local.get $M0)) (i32x4.extmul_high_i16x8_u (local.get $B) (local.get $M1)))
            (i32x4.extmul_high_i16x8_u (local.get $C) (local.get $M2))))
        (local.set $k (i32.add (local.get $k) (i32.const 8)))
        (br $next))))

  ;; Channels of the triangle kernel's pixel over blended columns at p, p + 12 and p + 24 with weights
  ;; u0, u1, u2 (summing to One): (u0 · a + u1 · b + u2 · c + Half2) >> 22.
  (func $mix3 (param $p i32) (param $u0 i32) (param $u1 i32) (param $u2 i32) (result v128)
    (i32x4.shr_s
      (i32x4.add
        (i32x4.add
          (i32x4.mul (i32x4.splat (local.get $u0)) (v128.load (local.get $p)))
          (i32x4.mul (i32x4.splat (local.get $u1)) (v128.load offset=12 (local.get $p))))
        (i32x4.add
          (i32x4.mul (i32x4.splat (local.get $u2)) (v128.load offset=24 (local.get $p)))
          (v128.const i32x4 0x200000 0x200000 0x200000 0x200000)))
      (i32.const 22)))

  ;; out[i] for i in [lo, hi), two a step as in bulk: the triangle kernel's pixel over blended columns
  ;; tap[i], tap[i] + 1 and tap[i] + 2 with weights n0[i], n1[i], n2[i].
  (func (export "bulk3") (param $v i32) (param $tap i32) (param $n0 i32) (param $n1 i32) (param $n2 i32) (param $out i32) (param $lo i32) (param $hi i32)
    (local $i i32) (local $o i32) (local $o1 i32) (local $w v128)
    (local.set $i (local.get $lo))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $hi)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $o1 (select (i32.add (local.get $o) (i32.const 4)) (local.get $o)
          (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $hi))))
        (local.set $w
          (i16x8.narrow_i32x4_s
            (call $mix3
              (i32.add (local.get $v) (i32.mul (i32.load (i32.add (local.get $tap) (local.get $o))) (i32.const 12)))
              (i32.load (i32.add (local.get $n0) (local.get $o)))
              (i32.load (i32.add (local.get $n1) (local.get $o)))
              (i32.load (i32.add (local.get $n2) (local.get $o))))
            (call $mix3
              (i32.add (local.get $v) (i32.mul (i32.load (i32.add (local.get $tap) (local.get $o1))) (i32.const 12)))
              (i32.load (i32.add (local.get $n0) (local.get $o1)))
              (i32.load (i32.add (local.get $n1) (local.get $o1)))
              (i32.load (i32.add (local.get $n2) (local.get $o1))))))
        (i64.store (i32.add (local.get $out) (local.get $o))
          (i64.or
            (i64x2.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $w) (local.get $w)))
            (i64.const 0xff000000ff000000)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next))))

  ;; out[i] for i in [lo, hi) of a window with invalid pixels (validity bytes: rows at vtop and vbot, 1
  ;; byte a column, non-zero = valid): 0 where the pixel under the sample's centre is invalid (the tap
  ;; column centre[i] of the bottom row when `bottom`, else of the top row), the 2x2 pixel where all four
  ;; taps are valid, else 1, a marker the caller replaces by the general formula. Returns the valid
  ;; centres, plus the markers times 65536.
  (func (export "bulkMasked") (param $v i32) (param $tap i32) (param $n1 i32) (param $centre i32) (param $out i32) (param $lo i32) (param $hi i32)
    (param $vtop i32) (param $vbot i32) (param $bottom i32) (result i32)
    (local $i i32) (local $o i32) (local $t i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $right i32)
    (local $count i32) (local $marks i32) (local $w v128)
    (local.set $i (local.get $lo))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $hi)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $t (i32.load (i32.add (local.get $tap) (local.get $o))))
        (local.set $a (i32.load8_u (i32.add (local.get $vtop) (local.get $t))))
        (local.set $b (i32.load8_u offset=1 (i32.add (local.get $vtop) (local.get $t))))
        (local.set $c (i32.load8_u (i32.add (local.get $vbot) (local.get $t))))
        (local.set $d (i32.load8_u offset=1 (i32.add (local.get $vbot) (local.get $t))))
        (local.set $right (i32.ne (i32.load (i32.add (local.get $centre) (local.get $o))) (local.get $t)))
        (if (i32.eqz
              (select
                (select (local.get $d) (local.get $c) (local.get $right))
                (select (local.get $b) (local.get $a) (local.get $right))
                (local.get $bottom)))
          (then (i32.store (i32.add (local.get $out) (local.get $o)) (i32.const 0)))
          (else
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (if (i32.and (i32.and (i32.ne (local.get $a) (i32.const 0)) (i32.ne (local.get $b) (i32.const 0)))
                         (i32.and (i32.ne (local.get $c) (i32.const 0)) (i32.ne (local.get $d) (i32.const 0))))
              (then
                (local.set $w
                  (call $mix
                    (i32.add (local.get $v) (i32.mul (local.get $t) (i32.const 12)))
                    (i32.load (i32.add (local.get $n1) (local.get $o)))))
                (local.set $w (i16x8.narrow_i32x4_s (local.get $w) (local.get $w)))
                (i32.store (i32.add (local.get $out) (local.get $o))
                  (i32.or (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $w) (local.get $w))) (i32.const 0xff000000))))
              (else
                (i32.store (i32.add (local.get $out) (local.get $o)) (i32.const 1))
                (local.set $marks (i32.add (local.get $marks) (i32.const 1)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.or (local.get $count) (i32.shl (local.get $marks) (i32.const 16))))
)
