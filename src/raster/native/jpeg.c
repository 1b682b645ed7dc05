/*
 * JPEG through libjpeg-turbo (Debian's libjpeg62-turbo):
 *
 *   jpegEncode(pixels, width, height, components, quality, subsampling) -> Buffer
 *     baseline, optimised Huffman tables, the Annex K tables scaled by `quality`, no JFIF marker;
 *     3 components are written as YCbCr with Y sampled `subsampling` x `subsampling` (2 = 4:2:0,
 *     1 = 4:4:4), 1 component as greyscale. These are the settings sharp uses for geopera's tiles,
 *     and the bytes are the same as sharp's.
 *   jpegDecode(stream, components, scaleDenom, maxPixels[, into]) -> { data, width, height } | null
 *     pixel-interleaved RGB (3) or grey (1) at 1/scaleDenom size (libjpeg's DCT scaling), written into
 *     the Uint8Array `into` when it is given and holds them (then `data` is `into` itself, and the caller
 *     leaves it alone until the Promise settles), else into a new Buffer; null when
 *     the stream has another number of components (the caller converts some other way). A truncated
 *     stream is an error, as sharp's failOn 'error' makes it; other libjpeg warnings are not.
 */
#include "addon.h"

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

static void encode_run(Job *job) {
  struct jpeg_compress_struct cinfo;
  ErrorTrap trap;
  cinfo.err = jpeg_std_error(&trap.pub);
  trap.pub.error_exit = trap_error;
  if (setjmp(trap.jump)) {
    jpeg_destroy_compress(&cinfo);
    free(job->output);
    job->output = NULL;
    job_fail(job, trap.message);
    return;
  }
  jpeg_create_compress(&cinfo);
  /* libjpeg grows its output in place: kept in the Job, not on this stack, whose locals longjmp may leave stale. */
  jpeg_mem_dest(&cinfo, &job->output, &job->jpeg_length);
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
  job->output_length = job->jpeg_length;
}

static void decode_run(Job *job) {
  struct jpeg_decompress_struct cinfo;
  ErrorTrap trap;
  cinfo.err = jpeg_std_error(&trap.pub);
  trap.pub.error_exit = trap_error;
  trap.pub.emit_message = trap_warning;
  if (setjmp(trap.jump)) {
    jpeg_destroy_decompress(&cinfo);
    job_fail(job, trap.message);
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
  const size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
  job->output = job->into && job->into_length >= stride * cinfo.output_height ? job->into : malloc(stride * cinfo.output_height);
  if (!job->output) {
    jpeg_destroy_decompress(&cinfo);
    job_fail(job, "out of memory");
    return;
  }
  job->width = (int)cinfo.output_width;
  job->height = (int)cinfo.output_height;
  job->output_length = stride * cinfo.output_height;
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = job->output + stride * cinfo.output_scanline;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
}

napi_value jpeg_encode(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value args[6];
  int width, height, components, quality, subsampling;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 6) {
    napi_throw_type_error(env, NULL, "jpegEncode(pixels, width, height, components, quality, subsampling)");
    return NULL;
  }
  if (!int_arg(env, args[1], 1, 65500, &width, "width") || !int_arg(env, args[2], 1, 65500, &height, "height") ||
      !int_arg(env, args[3], 1, 3, &components, "components") || !int_arg(env, args[4], 1, 100, &quality, "quality") ||
      !int_arg(env, args[5], 1, 2, &subsampling, "subsampling")) {
    return NULL;
  }
  if (components == 2) {
    napi_throw_range_error(env, NULL, "components must be 1 or 3");
    return NULL;
  }
  Job *job = pixels_job(env, args[0], width, height, components, encode_run);
  if (!job) return NULL;
  job->quality = quality;
  job->subsampling = subsampling;
  return job_queue(env, job, "geopera.jpegEncode");
}

/* The optional `into` argument (undefined, or a Uint8Array not viewing the stream's bytes); 0 with an error thrown and the Job freed otherwise. */
static int into_arg(napi_env env, napi_value arg, Job *job) {
  napi_valuetype kind;
  napi_typeof(env, arg, &kind);
  if (kind == napi_undefined) return 1;
  napi_typedarray_type type;
  size_t length;
  void *bytes;
  bool is_typed = false;
  napi_is_typedarray(env, arg, &is_typed);
  const char *why = NULL;
  if (!is_typed || napi_get_typedarray_info(env, arg, &type, &length, &bytes, NULL, NULL) != napi_ok || type != napi_uint8_array) why = "into must be a Uint8Array";
  else if ((unsigned char *)bytes < job->input + job->input_length && job->input < (unsigned char *)bytes + length) why = "into must not overlap the stream";
  else if (napi_create_reference(env, arg, 1, &job->into_ref) != napi_ok) why = "into cannot be kept";
  if (why) {
    napi_delete_reference(env, job->input_ref);
    free(job);
    napi_throw_type_error(env, NULL, why);
    return 0;
  }
  job->into = bytes;
  job->into_length = length;
  return 1;
}

napi_value jpeg_decode(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5];
  int components, scale_denom;
  double max_pixels;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "jpegDecode(stream, components, scaleDenom, maxPixels[, into])");
    return NULL;
  }
  if (!int_arg(env, args[1], 1, 3, &components, "components") || !int_arg(env, args[2], 1, 8, &scale_denom, "scaleDenom")) return NULL;
  if (napi_get_value_double(env, args[3], &max_pixels) != napi_ok) {
    napi_throw_type_error(env, NULL, "maxPixels must be a number");
    return NULL;
  }
  Job *job = job_new(env, args[0], decode_run);
  if (!job) return NULL;
  job->components = components;
  job->scale_denom = scale_denom;
  job->max_pixels = max_pixels;
  job->decoded = 1;
  if (argc >= 5 && !into_arg(env, args[4], job)) return NULL;
  return job_queue(env, job, "geopera.jpegDecode");
}
