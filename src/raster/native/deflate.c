/*
 * zlib streams (RFC 1950) through libdeflate (Debian's libdeflate0), for TIFF DEFLATE tiles and GDAL mask
 * tiles:
 *
 *   zlibEncode(bytes, level) -> Buffer     level 1-12 (libdeflate's scale; 1-9 mean about what zlib's do)
 *   maskEncode(mask, width, height, level) -> Buffer
 *                                          a GDAL mask tile: the byte mask (0 invalid, else valid) packed
 *                                          to 1 bit a pixel, most significant bit first, each row padded to
 *                                          a byte, then as zlibEncode (packed on the pool thread too)
 *
 * libdeflate compresses a whole buffer at once, which is all a tile needs, faster than zlib and a little
 * smaller; GDAL builds with it for DEFLATE too. One compressor per pool thread and level is kept for reuse
 * (`compressor_for`, shared with png.c).
 */
#include "addon.h"

#include <stdlib.h>
#include <libdeflate.h>

/*
 * One compressor per level and pool thread, kept: PNG map tiles (level 2) and mask tiles (level 6) share
 * libuv's threads, and a single cached compressor was freed and allocated again at every switch.
 */
static __thread struct libdeflate_compressor *cached[13];

struct libdeflate_compressor *compressor_for(int level) {
  if (level < 1 || level > 12) return NULL;
  if (!cached[level]) cached[level] = libdeflate_alloc_compressor(level);
  return cached[level];
}

static void encode_run(Job *job) {
  struct libdeflate_compressor *compressor = compressor_for(job->level);
  if (!compressor) {
    job_fail(job, "out of memory");
    return;
  }
  const size_t bound = libdeflate_zlib_compress_bound(compressor, job->input_length);
  job->output = malloc(bound);
  if (!job->output) {
    job_fail(job, "out of memory");
    return;
  }
  job->output_length = libdeflate_zlib_compress(compressor, job->input, job->input_length, job->output, bound);
  if (job->output_length == 0) job_fail(job, "libdeflate could not compress the tile");
}

/* The mask's rows packed to bits, then compressed as encode_run does. */
static void mask_run(Job *job) {
  const size_t width = (size_t)job->width, height = (size_t)job->height, row_bytes = (width + 7) >> 3;
  unsigned char *bits = calloc(row_bytes * height ? row_bytes * height : 1, 1);
  if (!bits) {
    job_fail(job, "out of memory");
    return;
  }
  for (size_t y = 0; y < height; y++) {
    const unsigned char *src = job->input + y * width;
    unsigned char *dst = bits + y * row_bytes;
    for (size_t x = 0; x < width; x++) {
      if (src[x]) dst[x >> 3] |= (unsigned char)(0x80 >> (x & 7));
    }
  }
  const unsigned char *mask = job->input;
  const size_t mask_length = job->input_length;
  job->input = bits;
  job->input_length = row_bytes * height;
  encode_run(job);
  job->input = mask;
  job->input_length = mask_length;
  free(bits);
}

napi_value mask_encode(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value args[4];
  int width, height, level;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "maskEncode(mask, width, height, level)");
    return NULL;
  }
  if (!int_arg(env, args[1], 1, 65500, &width, "width") || !int_arg(env, args[2], 1, 65500, &height, "height") || !int_arg(env, args[3], 1, 12, &level, "level")) return NULL;
  Job *job = pixels_job(env, args[0], width, height, 1, mask_run);
  if (!job) return NULL;
  job->level = level;
  return job_queue(env, job, "geopera.maskEncode");
}

napi_value zlib_encode(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  int level;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 2) {
    napi_throw_type_error(env, NULL, "zlibEncode(bytes, level)");
    return NULL;
  }
  if (!int_arg(env, args[1], 1, 12, &level, "level")) return NULL;
  Job *job = job_new(env, args[0], encode_run);
  if (!job) return NULL;
  job->level = level;
  return job_queue(env, job, "geopera.zlibEncode");
}
