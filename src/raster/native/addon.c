/*
 * geopera's codec addon (built by `npm run build:native` into build/Release/geopera_codecs.node):
 * libjpeg-turbo and libdeflate called straight from Node-API on libuv's thread pool, without libvips'
 * pipeline around them. Its calls return Promises:
 *
 *   jpegEncode(pixels, width, height, components, quality, subsampling) -> Buffer      (jpeg.c)
 *   jpegDecode(stream, components, scaleDenom, maxPixels[, into]) -> { data, width, height } | null
 *   pngEncode(pixels, width, height, components, level) -> Buffer                       (png.c)
 *   zlibEncode(bytes, level) -> Buffer                                                  (deflate.c)
 *   maskEncode(mask, width, height, level) -> Buffer                                    (deflate.c)
 *
 * a synchronous copy of rows between buffers (rows.c):
 *
 *   copyRows(dst, dstStart, dstStride, src, srcStart, srcStride, rowBytes, rows) -> undefined
 *
 * and synchronous calls about glibc's malloc (each false or 0 where the C library is not glibc):
 *
 *   mallocTrim() -> boolean         malloc_trim(0): free memory of every thread's malloc arena back to the
 *                                   system (true when some was).
 *   mallocArenaMax(n) -> boolean    mallopt(M_ARENA_MAX, n): threads that allocate for the first time from
 *                                   now on share at most n arenas (true when set). Works when called before
 *                                   the process has 8 arenas (glibc then fixes its limit).
 *   mallocArenas() -> number        how many arenas malloc has (malloc_info's heaps).
 */
#include "addon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

void job_fail(Job *job, const char *message) {
  job->failed = 1;
  snprintf(job->message, sizeof job->message, "%s", message);
}

int int_arg(napi_env env, napi_value arg, int low, int high, int *out, const char *what) {
  if (napi_get_value_int32(env, arg, out) != napi_ok || *out < low || *out > high) {
    char message[96];
    snprintf(message, sizeof message, "%s must be an integer from %d to %d", what, low, high);
    napi_throw_range_error(env, NULL, message);
    return 0;
  }
  return 1;
}

Job *job_new(napi_env env, napi_value input, void (*run)(Job *job)) {
  napi_typedarray_type type;
  size_t length;
  void *bytes;
  bool is_typed = false;
  napi_is_typedarray(env, input, &is_typed);
  if (!is_typed || napi_get_typedarray_info(env, input, &type, &length, &bytes, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "expected a Uint8Array");
    return NULL;
  }
  Job *job = calloc(1, sizeof *job);
  if (!job) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  job->run = run;
  job->input = bytes;
  job->input_length = length;
  if (napi_create_reference(env, input, 1, &job->input_ref) != napi_ok) {
    free(job);
    return NULL;
  }
  return job;
}

Job *pixels_job(napi_env env, napi_value pixels, int width, int height, int components, void (*run)(Job *job)) {
  Job *job = job_new(env, pixels, run);
  if (!job) return NULL;
  if (job->input_length < (size_t)width * (size_t)height * (size_t)components) {
    napi_delete_reference(env, job->input_ref);
    free(job);
    napi_throw_range_error(env, NULL, "pixels holds fewer bytes than width x height x components");
    return NULL;
  }
  job->width = width;
  job->height = height;
  job->components = components;
  return job;
}

static void free_output(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static void execute(napi_env env, void *data) {
  (void)env;
  Job *job = data;
  job->run(job);
}

static napi_value output_buffer(napi_env env, Job *job) {
  napi_value buffer;
  if (job->output == job->into) {
    /* Decoded into the caller's array: that array is the data. */
    job->output = NULL;
    if (napi_get_reference_value(env, job->into_ref, &buffer) != napi_ok) napi_get_null(env, &buffer);
    return buffer;
  }
  if (napi_create_external_buffer(env, job->output_length, job->output, free_output, NULL, &buffer) != napi_ok) {
    free(job->output);
    napi_get_null(env, &buffer);
  }
  job->output = NULL;
  return buffer;
}

static void complete(napi_env env, napi_status status, void *data) {
  Job *job = data;
  napi_value value;
  if (status != napi_ok && !job->failed) job_fail(job, "the work was cancelled");
  if (job->failed) {
    napi_value message;
    if (job->output != job->into) free(job->output);
    napi_create_string_utf8(env, job->message, NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &value);
    napi_reject_deferred(env, job->deferred, value);
  } else if (job->mismatch) {
    napi_get_null(env, &value);
    napi_resolve_deferred(env, job->deferred, value);
  } else if (!job->decoded) {
    napi_resolve_deferred(env, job->deferred, output_buffer(env, job));
  } else {
    napi_value width, height;
    napi_create_object(env, &value);
    napi_set_named_property(env, value, "data", output_buffer(env, job));
    napi_create_int32(env, job->width, &width);
    napi_create_int32(env, job->height, &height);
    napi_set_named_property(env, value, "width", width);
    napi_set_named_property(env, value, "height", height);
    napi_resolve_deferred(env, job->deferred, value);
  }
  napi_delete_reference(env, job->input_ref);
  if (job->into_ref) napi_delete_reference(env, job->into_ref);
  napi_delete_async_work(env, job->work);
  free(job);
}

napi_value job_queue(napi_env env, Job *job, const char *name) {
  napi_value promise, resource_name;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name);
  napi_create_async_work(env, NULL, resource_name, execute, complete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

static napi_value malloc_trim_all(napi_env env, napi_callback_info info) {
  (void)info;
  int released = 0;
#ifdef __GLIBC__
  released = malloc_trim(0);
#endif
  napi_value result;
  napi_get_boolean(env, released != 0, &result);
  return result;
}

static napi_value malloc_arena_max(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  int arenas, set = 0;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 1) {
    napi_throw_type_error(env, NULL, "mallocArenaMax(arenas)");
    return NULL;
  }
  if (!int_arg(env, args[0], 1, 1024, &arenas, "arenas")) return NULL;
#ifdef __GLIBC__
  set = mallopt(M_ARENA_MAX, arenas);
#endif
  napi_value result;
  napi_get_boolean(env, set == 1, &result);
  return result;
}

static napi_value malloc_arenas(napi_env env, napi_callback_info info) {
  (void)info;
  int count = 0;
#ifdef __GLIBC__
  char *text = NULL;
  size_t length = 0;
  FILE *out = open_memstream(&text, &length);
  if (out) {
    malloc_info(0, out);
    fclose(out);
    for (const char *at = text; at && (at = strstr(at, "<heap nr=")) != NULL; at++) count++;
    free(text);
  }
#endif
  napi_value result;
  napi_create_int32(env, count, &result);
  return result;
}

static void export_function(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value value;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &value);
  napi_set_named_property(env, exports, name, value);
}

NAPI_MODULE_INIT() {
  export_function(env, exports, "jpegEncode", jpeg_encode);
  export_function(env, exports, "jpegDecode", jpeg_decode);
  export_function(env, exports, "pngEncode", png_encode);
  export_function(env, exports, "zlibEncode", zlib_encode);
  export_function(env, exports, "maskEncode", mask_encode);
  export_function(env, exports, "copyRows", copy_rows);
  export_function(env, exports, "mallocTrim", malloc_trim_all);
  export_function(env, exports, "mallocArenaMax", malloc_arena_max);
  export_function(env, exports, "mallocArenas", malloc_arenas);
  napi_value version;
  napi_create_int32(env, JPEG_LIB_VERSION, &version);
  napi_set_named_property(env, exports, "libjpegVersion", version);
  return exports;
}
