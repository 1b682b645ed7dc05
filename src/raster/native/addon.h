/*
 * geopera's codec addon: the Node-API plumbing shared by its codecs (jpeg.c, png.c). A call becomes a Job:
 * its arguments are read on the JavaScript thread, `run` works on libuv's thread pool with no JavaScript
 * value in reach, and the Promise settles back on the JavaScript thread with the output handed over as an
 * external Buffer (malloc'ed, freed by the garbage collector) or with `message` as an Error.
 */
#ifndef GEOPERA_ADDON_H
#define GEOPERA_ADDON_H

#include <node_api.h>
#include <stddef.h>
#include <libdeflate.h>

#define MESSAGE_LENGTH 200

typedef struct Job Job;
struct Job {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref input_ref;
  void (*run)(Job *job);
  /* The input bytes (a Uint8Array kept alive by input_ref; the caller leaves it alone meanwhile). */
  const unsigned char *input;
  size_t input_length;
  int width, height, components, quality, subsampling, scale_denom, level;
  /* PNG: the filter type of every row after the first (0 None, 2 Up). */
  int filter;
  double max_pixels;
  unsigned char *output;
  size_t output_length;
  /* decode: the caller's Uint8Array the pixels go into when they fit (kept alive by into_ref; never freed here). */
  napi_ref into_ref;
  unsigned char *into;
  size_t into_length;
  /* jpeg_mem_dest's length (an unsigned long it updates as it grows `output`). */
  unsigned long jpeg_length;
  /* decode: settle with { data, width, height }; mismatch: settle with null; failed: reject with message. */
  int decoded, mismatch, failed;
  char message[MESSAGE_LENGTH];
};

/* Records a failure for the Promise to reject with. */
void job_fail(Job *job, const char *message);

/* Reads an integer argument in [low, high]; throws a RangeError and returns 0 otherwise. */
int int_arg(napi_env env, napi_value arg, int low, int high, int *out, const char *what);

/* A new Job on argument `input` (a Uint8Array), or NULL with a TypeError thrown. */
Job *job_new(napi_env env, napi_value input, void (*run)(Job *job));

/* A new Job encoding `pixels` (width x height x components bytes at least), or NULL with an error thrown. */
Job *pixels_job(napi_env env, napi_value pixels, int width, int height, int components, void (*run)(Job *job));

/* Queues the Job and returns its Promise. */
napi_value job_queue(napi_env env, Job *job, const char *name);

napi_value jpeg_encode(napi_env env, napi_callback_info info);
napi_value jpeg_decode(napi_env env, napi_callback_info info);
napi_value png_encode(napi_env env, napi_callback_info info);
napi_value zlib_encode(napi_env env, napi_callback_info info);
napi_value mask_encode(napi_env env, napi_callback_info info);
napi_value copy_rows(napi_env env, napi_callback_info info);

/* This pool thread's libdeflate compressor at `level` (kept for reuse), or NULL when out of memory. */
struct libdeflate_compressor *compressor_for(int level);

#endif
