/*
 * geopera's JPEG codec: libjpeg-turbo (Debian's libjpeg62-turbo) called straight from Node-API, on libuv's
 * thread pool, without libvips' pipeline around it. Two calls, each returning a Promise:
 *
 *   encode(pixels, width, height, components, quality, subsampling) -> Buffer
 *     baseline, optimised Huffman tables, the Annex K tables scaled by `quality`, no JFIF marker;
 *     3 components are written as YCbCr with Y sampled `subsampling` x `subsampling` (2 = 4:2:0,
 *     1 = 4:4:4), 1 component as greyscale. These are the settings sharp uses for geopera's tiles,
 *     and the bytes are the same as sharp's.
 *   decode(stream, components, scaleDenom, maxPixels) -> { data, width, height } | null
 *     pixel-interleaved RGB (3) or grey (1) at 1/scaleDenom size (libjpeg's DCT scaling); null when
 *     the stream has another number of components (the caller converts some other way). A truncated
 *     stream is an error, as sharp's failOn 'error' makes it; other libjpeg warnings are not.
 *
 * Inputs are Uint8Arrays held by a reference until the work is done; the caller must not change them
 * meanwhile. Outputs are malloc'ed and handed to JavaScript as external Buffers.
 */
#include <node_api.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
} ErrorTrap;

static void trap_error(j_common_ptr cinfo) {
  ErrorTrap *trap = (ErrorTrap *)cinfo->err;
  (*cinfo->err->format_message)(cinfo, trap->message);
  longjmp(trap->jump, 1);
}

/* A warning that the data ended early is an error (a truncated tile); other warnings are passed over. */
static void trap_warning(j_common_ptr cinfo, int level) {
  if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) trap_error(cinfo);
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref input_ref;
  const unsigned char *input;
  size_t input_length;
  int width, height, components, quality, subsampling, scale_denom;
  double max_pixels;
  unsigned char *output;
  unsigned long output_length;
  int failed, mismatch;
  char message[JMSG_LENGTH_MAX];
} Job;

static void free_output(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static void encode_run(napi_env env, void *data) {
  (void)env;
  Job *job = data;
  struct jpeg_compress_struct cinfo;
  ErrorTrap trap;
  cinfo.err = jpeg_std_error(&trap.pub);
  trap.pub.error_exit = trap_error;
  if (setjmp(trap.jump)) {
    jpeg_destroy_compress(&cinfo);
    free(job->output);
    job->output = NULL;
    memcpy(job->message, trap.message, sizeof job->message);
    job->failed = 1;
    return;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &job->output, &job->output_length);
  cinfo.image_width = (JDIMENSION)job->width;
  cinfo.image_height = (JDIMENSION)job->height;
  cinfo.input_components = job->components;
  cinfo.in_color_space = job->components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, job->quality, TRUE);
  cinfo.optimize_coding = TRUE;
  cinfo.write_JFIF_header = FALSE;
  if (job->components == 3) {
    cinfo.comp_info[0].h_samp_factor = job->subsampling;
    cinfo.comp_info[0].v_samp_factor = job->subsampling;
  }
  jpeg_start_compress(&cinfo, TRUE);
  const size_t stride = (size_t)job->width * (size_t)job->components;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = (JSAMPROW)(job->input + stride * cinfo.next_scanline);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
}

static void decode_run(napi_env env, void *data) {
  (void)env;
  Job *job = data;
  struct jpeg_decompress_struct cinfo;
  ErrorTrap trap;
  cinfo.err = jpeg_std_error(&trap.pub);
  trap.pub.error_exit = trap_error;
  trap.pub.emit_message = trap_warning;
  if (setjmp(trap.jump)) {
    jpeg_destroy_decompress(&cinfo);
    free(job->output);
    job->output = NULL;
    memcpy(job->message, trap.message, sizeof job->message);
    job->failed = 1;
    return;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, job->input, (unsigned long)job->input_length);
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.num_components != job->components) {
    job->mismatch = 1;
    jpeg_destroy_decompress(&cinfo);
    return;
  }
  if ((double)cinfo.image_width * (double)cinfo.image_height > job->max_pixels) {
    snprintf(job->message, sizeof job->message, "the image is %ux%u, more than the %.0f pixels expected", cinfo.image_width, cinfo.image_height, job->max_pixels);
    job->failed = 1;
    jpeg_destroy_decompress(&cinfo);
    return;
  }
  cinfo.out_color_space = job->components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  cinfo.scale_num = 1;
  cinfo.scale_denom = (unsigned int)job->scale_denom;
  jpeg_start_decompress(&cinfo);
  job->width = (int)cinfo.output_width;
  job->height = (int)cinfo.output_height;
  const size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
  job->output = malloc(stride * cinfo.output_height);
  if (!job->output) {
    snprintf(job->message, sizeof job->message, "out of memory");
    job->failed = 1;
    jpeg_destroy_decompress(&cinfo);
    return;
  }
  job->output_length = stride * cinfo.output_height;
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = job->output + stride * cinfo.output_scanline;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
}

static napi_value output_buffer(napi_env env, Job *job) {
  napi_value buffer;
  if (napi_create_external_buffer(env, job->output_length, job->output, free_output, NULL, &buffer) != napi_ok) {
    free(job->output);
    return NULL;
  }
  return buffer;
}

static void settle(napi_env env, napi_status status, void *data, int decoded) {
  Job *job = data;
  napi_value value = NULL;
  if (status != napi_ok && !job->failed) {
    job->failed = 1;
    snprintf(job->message, sizeof job->message, "the work was cancelled");
  }
  if (job->failed) {
    napi_value message;
    napi_create_string_utf8(env, job->message, NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &value);
    napi_reject_deferred(env, job->deferred, value);
  } else if (job->mismatch) {
    napi_get_null(env, &value);
    napi_resolve_deferred(env, job->deferred, value);
  } else if (!decoded) {
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
  napi_delete_async_work(env, job->work);
  free(job);
}

static void encode_done(napi_env env, napi_status status, void *data) { settle(env, status, data, 0); }
static void decode_done(napi_env env, napi_status status, void *data) { settle(env, status, data, 1); }

/* Reads argument 0 as a Uint8Array into the job; throws a TypeError and returns 0 when it is not one. */
static int take_input(napi_env env, napi_value arg, Job *job) {
  napi_typedarray_type type;
  size_t length;
  void *bytes;
  bool is_typed = false;
  napi_is_typedarray(env, arg, &is_typed);
  if (!is_typed || napi_get_typedarray_info(env, arg, &type, &length, &bytes, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "expected a Uint8Array");
    return 0;
  }
  job->input = bytes;
  job->input_length = length;
  return napi_create_reference(env, arg, 1, &job->input_ref) == napi_ok;
}

static napi_value queue(napi_env env, Job *job, const char *name, napi_async_execute_callback run, napi_async_complete_callback done) {
  napi_value promise, resource_name;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name);
  napi_create_async_work(env, NULL, resource_name, run, done, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

static int int_arg(napi_env env, napi_value arg, int low, int high, int *out, const char *what) {
  if (napi_get_value_int32(env, arg, out) != napi_ok || *out < low || *out > high) {
    char message[96];
    snprintf(message, sizeof message, "%s must be an integer from %d to %d", what, low, high);
    napi_throw_range_error(env, NULL, message);
    return 0;
  }
  return 1;
}

static napi_value encode(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value args[6];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 6) {
    napi_throw_type_error(env, NULL, "encode(pixels, width, height, components, quality, subsampling)");
    return NULL;
  }
  Job *job = calloc(1, sizeof *job);
  if (!job) return NULL;
  if (!int_arg(env, args[1], 1, 65500, &job->width, "width") || !int_arg(env, args[2], 1, 65500, &job->height, "height") ||
      !int_arg(env, args[3], 1, 3, &job->components, "components") || !int_arg(env, args[4], 1, 100, &job->quality, "quality") ||
      !int_arg(env, args[5], 1, 2, &job->subsampling, "subsampling")) {
    free(job);
    return NULL;
  }
  if (job->components == 2) {
    free(job);
    napi_throw_range_error(env, NULL, "components must be 1 or 3");
    return NULL;
  }
  if (!take_input(env, args[0], job)) {
    free(job);
    return NULL;
  }
  if (job->input_length < (size_t)job->width * (size_t)job->height * (size_t)job->components) {
    napi_delete_reference(env, job->input_ref);
    free(job);
    napi_throw_range_error(env, NULL, "pixels holds fewer bytes than width x height x components");
    return NULL;
  }
  return queue(env, job, "geopera.jpegEncode", encode_run, encode_done);
}

static napi_value decode(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value args[4];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "decode(stream, components, scaleDenom, maxPixels)");
    return NULL;
  }
  Job *job = calloc(1, sizeof *job);
  if (!job) return NULL;
  if (!int_arg(env, args[1], 1, 3, &job->components, "components") || !int_arg(env, args[2], 1, 8, &job->scale_denom, "scaleDenom") ||
      napi_get_value_double(env, args[3], &job->max_pixels) != napi_ok) {
    free(job);
    return NULL;
  }
  if (!take_input(env, args[0], job)) {
    free(job);
    return NULL;
  }
  return queue(env, job, "geopera.jpegDecode", decode_run, decode_done);
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "encode", NAPI_AUTO_LENGTH, encode, NULL, &fn);
  napi_set_named_property(env, exports, "encode", fn);
  napi_create_function(env, "decode", NAPI_AUTO_LENGTH, decode, NULL, &fn);
  napi_set_named_property(env, exports, "decode", fn);
  napi_value version;
  napi_create_int32(env, JPEG_LIB_VERSION, &version);
  napi_set_named_property(env, exports, "libjpegVersion", version);
  return exports;
}
