/*
 * PNG for map tiles, deflated by libdeflate (Debian's libdeflate0):
 *
 *   pngEncode(pixels, width, height, components, level[, filter]) -> Buffer
 *     8-bit truecolour (3 components) or truecolour with alpha (4), not interlaced, one IDAT: a zlib
 *     stream at libdeflate's `level` (1-12). Signature, IHDR, IDAT, IEND, each CRC'd. `filter` is the
 *     filter type of every row but the first (which has None): 0 None (the default: what sharp's
 *     `adaptiveFiltering: false` writes) or 2 Up (each byte minus the byte above it). On imagery Up
 *     costs a subtraction a byte and leaves deflate far less to do: map tiles come out about a third
 *     smaller at half the CPU (bench:tiles).
 *
 * libdeflate deflates a whole buffer at once, which is all a 256² or 512² tile needs, at about half
 * zlib's CPU for smaller output (its compressors: deflate.c).
 */
#include "addon.h"

#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

static void put32(unsigned char *at, size_t value) {
  at[0] = (unsigned char)(value >> 24);
  at[1] = (unsigned char)(value >> 16);
  at[2] = (unsigned char)(value >> 8);
  at[3] = (unsigned char)value;
}

/* Length, type, data already in place after them, CRC of type and data. Returns the chunk's size. */
static size_t close_chunk(unsigned char *chunk, const char *type, size_t length) {
  put32(chunk, length);
  memcpy(chunk + 4, type, 4);
  put32(chunk + 8 + length, libdeflate_crc32(0, chunk + 4, length + 4));
  return length + 12;
}

static void encode_run(Job *job) {
  const size_t stride = (size_t)job->width * (size_t)job->components;
  const size_t raw_length = (stride + 1) * (size_t)job->height;
  struct libdeflate_compressor *compressor = compressor_for(job->level);
  if (!compressor) {
    job_fail(job, "out of memory");
    return;
  }
  unsigned char *raw = malloc(raw_length);
  const size_t bound = libdeflate_zlib_compress_bound(compressor, raw_length);
  /* signature 8, IHDR 25, IDAT 12 + data, IEND 12 */
  unsigned char *png = malloc(8 + 25 + 12 + bound + 12);
  if (!raw || !png) {
    free(raw);
    free(png);
    job_fail(job, "out of memory");
    return;
  }
  for (int y = 0; y < job->height; y++) {
    unsigned char *to = raw + (size_t)y * (stride + 1);
    const unsigned char *row = job->input + (size_t)y * stride;
    if (job->filter == 2 && y > 0) {
      const unsigned char *above = row - stride;
      to[0] = 2;
      for (size_t i = 0; i < stride; i++) to[1 + i] = (unsigned char)(row[i] - above[i]);
    } else {
      to[0] = 0;
      memcpy(to + 1, row, stride);
    }
  }
  size_t at = 0;
  memcpy(png, "\x89PNG\r\n\x1a\n", 8);
  at += 8;
  unsigned char *ihdr = png + at + 8;
  put32(ihdr, (size_t)job->width);
  put32(ihdr + 4, (size_t)job->height);
  ihdr[8] = 8;                                /* bit depth */
  ihdr[9] = job->components == 4 ? 6 : 2;     /* colour type: RGBA or RGB */
  ihdr[10] = ihdr[11] = ihdr[12] = 0;         /* deflate, adaptive filtering method, no interlace */
  at += close_chunk(png + at, "IHDR", 13);
  const size_t deflated = libdeflate_zlib_compress(compressor, raw, raw_length, png + at + 8, bound);
  free(raw);
  if (deflated == 0) {
    free(png);
    job_fail(job, "libdeflate could not compress the tile");
    return;
  }
  at += close_chunk(png + at, "IDAT", deflated);
  at += close_chunk(png + at, "IEND", 0);
  job->output = png;
  job->output_length = at;
}

napi_value png_encode(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value args[6];
  int width, height, components, level, filter = 0;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 5) {
    napi_throw_type_error(env, NULL, "pngEncode(pixels, width, height, components, level[, filter])");
    return NULL;
  }
  if (!int_arg(env, args[1], 1, 65535, &width, "width") || !int_arg(env, args[2], 1, 65535, &height, "height") ||
      !int_arg(env, args[3], 3, 4, &components, "components") || !int_arg(env, args[4], 1, 12, &level, "level") ||
      (argc > 5 && !int_arg(env, args[5], 0, 2, &filter, "filter"))) {
    return NULL;
  }
  if (filter == 1) {
    napi_throw_range_error(env, NULL, "filter must be 0 (None) or 2 (Up)");
    return NULL;
  }
  Job *job = pixels_job(env, args[0], width, height, components, encode_run);
  if (!job) return NULL;
  job->level = level;
  job->filter = filter;
  return job_queue(env, job, "geopera.pngEncode");
}
