;; RGBA bytes to RGB bytes (alpha dropped) in WebAssembly SIMD, 16 pixels a step: four 16-byte loads
;; become three 16-byte stores by byte shuffles (src/tiles/rgb.pack.ts copies in and out and packs the
;; last n mod 16 pixels itself).
(module
  (memory (export "memory") 1)

  ;; rgb[0, 3n) from rgba[0, 4n) for n a multiple of 16.
  (func (export "pack") (param $rgba i32) (param $rgb i32) (param $n i32)
    (local $i i32) (local $s i32) (local $d i32) (local $a v128) (local $b v128) (local $c v128) (local $e v128)
    (local.set $s (local.get $rgba))
    (local.set $d (local.get $rgb))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a (v128.load (local.get $s)))
        (local.set $b (v128.load offset=16 (local.get $s)))
        (local.set $c (v128.load offset=32 (local.get $s)))
        (local.set $e (v128.load offset=48 (local.get $s)))
        (v128.store (local.get $d)
          (i8x16.shuffle 0 1 2 4 5 6 8 9 10 12 13 14 16 17 18 20 (local.get $a) (local.get $b)))
        (v128.store offset=16 (local.get $d)
          (i8x16.shuffle 5 6 8 9 10 12 13 14 16 17 18 20 21 22 24 25 (local.get $b) (local.get $c)))
        (v128.store offset=32 (local.get $d)
          (i8x16.shuffle 10 12 13 14 16 17 18 20 21 22 24 25 26 28 29 30 (local.get $c) (local.get $e)))
        (local.set $s (i32.add (local.get $s) (i32.const 64)))
        (local.set $d (i32.add (local.get $d) (i32.const 48)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))))
