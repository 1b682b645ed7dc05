;; The masked 2x2 average of 8-bit RGB (src/raster/plan/downsample.u8.ts, averageUint8Masked) in
;; WebAssembly SIMD, for an even width and every output row that has two source rows: eight blocks a step
;; where the mask says they are all valid (four bytes summed, + 2, >> 2) or all invalid (left 0), one
;; block at a time otherwise with the general rule (the mean of its valid pixels, rounded half up:
;; (2 · sum + n) / (2 · n)). The output and its mask must be zeroed; the caller copies in and out
;; (average.simd.ts).
(module
  (memory (export "memory") 1)

  ;; One block by the general rule: source pixel p (top left), mask at m, output at o (3 bytes) and its
  ;; mask byte at om; w the source width.
  (func $block (param $src i32) (param $mask i32) (param $p i32) (param $w i32) (param $o i32) (param $om i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $n i32) (local $k i32) (local $s i32) (local $q i32)
    (local.set $a (i32.ne (i32.load8_u (i32.add (local.get $mask) (local.get $p))) (i32.const 0)))
    (local.set $b (i32.ne (i32.load8_u offset=1 (i32.add (local.get $mask) (local.get $p))) (i32.const 0)))
    (local.set $c (i32.ne (i32.load8_u (i32.add (i32.add (local.get $mask) (local.get $p)) (local.get $w))) (i32.const 0)))
    (local.set $d (i32.ne (i32.load8_u offset=1 (i32.add (i32.add (local.get $mask) (local.get $p)) (local.get $w))) (i32.const 0)))
    (local.set $n (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d))))
    (if (i32.eqz (local.get $n)) (then (return)))
    (i32.store8 (local.get $om) (i32.const 255))
    (local.set $q (i32.add (local.get $src) (i32.mul (local.get $p) (i32.const 3))))
    (loop $channel
      (local.set $s
        (i32.add
          (i32.add
            (select (i32.load8_u (i32.add (local.get $q) (local.get $k))) (i32.const 0) (local.get $a))
            (select (i32.load8_u offset=3 (i32.add (local.get $q) (local.get $k))) (i32.const 0) (local.get $b)))
          (i32.add
            (select (i32.load8_u (i32.add (i32.add (local.get $q) (local.get $k)) (i32.mul (local.get $w) (i32.const 3)))) (i32.const 0) (local.get $c))
            (select (i32.load8_u offset=3 (i32.add (i32.add (local.get $q) (local.get $k)) (i32.mul (local.get $w) (i32.const 3)))) (i32.const 0) (local.get $d)))))
      (i32.store8 (i32.add (local.get $o) (local.get $k))
        (i32.div_u (i32.add (i32.shl (local.get $s) (i32.const 1)) (local.get $n)) (i32.shl (local.get $n) (i32.const 1))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $channel (i32.lt_u (local.get $k) (i32.const 3)))))

  ;; Eight wholly valid blocks: 48 source bytes of each row at q and q + w3 to 24 output bytes at o.
  (func $eight (param $q i32) (param $w3 i32) (param $o i32)
    (local $a v128) (local $b v128) (local $c v128) (local $r v128) (local $s v128) (local $t v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128)
    (local $n0 v128) (local $n1 v128) (local $n2 v128)
    (local.set $a (v128.load (local.get $q)))
    (local.set $b (v128.load offset=16 (local.get $q)))
    (local.set $c (v128.load offset=32 (local.get $q)))
    (local.set $r (v128.load (i32.add (local.get $q) (local.get $w3))))
    (local.set $s (v128.load offset=16 (i32.add (local.get $q) (local.get $w3))))
    (local.set $t (v128.load offset=32 (i32.add (local.get $q) (local.get $w3))))
    ;; Column sums of the two rows, 16 bits a byte: sample k of the 48 in lane k mod 8 of s(k / 8).
    (local.set $s0 (i16x8.add (i16x8.extend_low_i8x16_u (local.get $a)) (i16x8.extend_low_i8x16_u (local.get $r))))
    (local.set $s1 (i16x8.add (i16x8.extend_high_i8x16_u (local.get $a)) (i16x8.extend_high_i8x16_u (local.get $r))))
    (local.set $s2 (i16x8.add (i16x8.extend_low_i8x16_u (local.get $b)) (i16x8.extend_low_i8x16_u (local.get $s))))
    (local.set $s3 (i16x8.add (i16x8.extend_high_i8x16_u (local.get $b)) (i16x8.extend_high_i8x16_u (local.get $s))))
    (local.set $s4 (i16x8.add (i16x8.extend_low_i8x16_u (local.get $c)) (i16x8.extend_low_i8x16_u (local.get $t))))
    (local.set $s5 (i16x8.add (i16x8.extend_high_i8x16_u (local.get $c)) (i16x8.extend_high_i8x16_u (local.get $t))))
    ;; Plus the sums 3 samples on (the next pixel's same channel), + 2, >> 2; then to bytes.
    (local.set $n0 (i8x16.narrow_i16x8_u
      (i16x8.shr_u (i16x8.add (i16x8.add (local.get $s0) (i8x16.shuffle 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 (local.get $s0) (local.get $s1))) (v128.const i16x8 2 2 2 2 2 2 2 2)) (i32.const 2))
      (i16x8.shr_u (i16x8.add (i16x8.add (local.get $s1) (i8x16.shuffle 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 (local.get $s1) (local.get $s2))) (v128.const i16x8 2 2 2 2 2 2 2 2)) (i32.const 2))))
    (local.set $n1 (i8x16.narrow_i16x8_u
      (i16x8.shr_u (i16x8.add (i16x8.add (local.get $s2) (i8x16.shuffle 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 (local.get $s2) (local.get $s3))) (v128.const i16x8 2 2 2 2 2 2 2 2)) (i32.const 2))
      (i16x8.shr_u (i16x8.add (i16x8.add (local.get $s3) (i8x16.shuffle 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 (local.get $s3) (local.get $s4))) (v128.const i16x8 2 2 2 2 2 2 2 2)) (i32.const 2))))
    (local.set $n2 (i8x16.narrow_i16x8_u
      (i16x8.shr_u (i16x8.add (i16x8.add (local.get $s4) (i8x16.shuffle 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 (local.get $s4) (local.get $s5))) (v128.const i16x8 2 2 2 2 2 2 2 2)) (i32.const 2))
      (i16x8.shr_u (i16x8.add (i16x8.add (local.get $s5) (i8x16.shuffle 6 7 8 9 10 11 12 13 14 15 0 1 2 3 4 5 (local.get $s5) (local.get $s5))) (v128.const i16x8 2 2 2 2 2 2 2 2)) (i32.const 2))))
    ;; Block j's channel c is sample 6j + c.
    (v128.store (local.get $o) (i8x16.shuffle 0 1 2 6 7 8 12 13 14 18 19 20 24 25 26 30 (local.get $n0) (local.get $n1)))
    (i64.store offset=16 (local.get $o)
      (i64x2.extract_lane 0 (i8x16.shuffle 15 16 20 21 22 26 27 28 0 0 0 0 0 0 0 0 (local.get $n1) (local.get $n2)))))

  ;; Output rows [0, h / 2) of a w × h source (w even): src (3 bytes a pixel), mask (a byte a pixel), out
  ;; (3 bytes a pixel, w / 2 a row) and outMask, both zeroed.
  (func (export "average") (param $src i32) (param $mask i32) (param $w i32) (param $h i32) (param $out i32) (param $outMask i32)
    (local $ow i32) (local $oy i32) (local $ox i32) (local $p i32) (local $m0 v128) (local $m1 v128) (local $po i32)
    (local.set $ow (i32.shr_u (local.get $w) (i32.const 1)))
    (block $rows
      (loop $row
        (br_if $rows (i32.ge_u (local.get $oy) (i32.shr_u (local.get $h) (i32.const 1))))
        (local.set $ox (i32.const 0))
        (block $cols
          (loop $col
            (br_if $cols (i32.ge_u (local.get $ox) (local.get $ow)))
            ;; p: the block's top-left source pixel; po: its output pixel.
            (local.set $p (i32.add (i32.mul (i32.shl (local.get $oy) (i32.const 1)) (local.get $w)) (i32.shl (local.get $ox) (i32.const 1))))
            (local.set $po (i32.add (i32.mul (local.get $oy) (local.get $ow)) (local.get $ox)))
            (if (i32.le_u (i32.add (local.get $ox) (i32.const 8)) (local.get $ow))
              (then
                (local.set $m0 (v128.load (i32.add (local.get $mask) (local.get $p))))
                (local.set $m1 (v128.load (i32.add (i32.add (local.get $mask) (local.get $p)) (local.get $w))))
                (if (i32.and (i8x16.all_true (local.get $m0)) (i8x16.all_true (local.get $m1)))
                  (then
                    (call $eight
                      (i32.add (local.get $src) (i32.mul (local.get $p) (i32.const 3)))
                      (i32.mul (local.get $w) (i32.const 3))
                      (i32.add (local.get $out) (i32.mul (local.get $po) (i32.const 3))))
                    (i64.store (i32.add (local.get $outMask) (local.get $po)) (i64.const -1))
                    (local.set $ox (i32.add (local.get $ox) (i32.const 8)))
                    (br $col)))
                (if (i32.eqz (v128.any_true (v128.or (local.get $m0) (local.get $m1))))
                  (then
                    (local.set $ox (i32.add (local.get $ox) (i32.const 8)))
                    (br $col)))))
            (call $block (local.get $src) (local.get $mask) (local.get $p) (local.get $w)
              (i32.add (local.get $out) (i32.mul (local.get $po) (i32.const 3)))
              (i32.add (local.get $outMask) (local.get $po)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (br $col)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $row))))
)
