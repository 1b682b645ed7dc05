/*
 * Rows of bytes copied between two buffers in one call, synchronously on the calling thread:
 *
 *   copyRows(dst, dstStart, dstStride, src, srcStart, srcStride, rowBytes, rows) -> undefined
 *     for each row r < rows: rowBytes bytes from src[srcStart + r * srcStride] to dst[dstStart + r * dstStride]
 *     (dst and src Uint8Arrays; a RangeError, and nothing copied, when a row would fall outside either).
 *
 * A clip cuts tiles out of overview rows and puts halves into them hundreds of thousands of rows at a
 * time: in JavaScript each row is a subarray and a set (an object and a call), which cost more than the
 * bytes; here a tile is one call.
 */
#include "addon.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int bytes_arg(napi_env env, napi_value arg, unsigned char **bytes, size_t *length, const char *what) {
  napi_typedarray_type type;
  void *data;
  bool is_typed = false;
  napi_is_typedarray(env, arg, &is_typed);
  if (!is_typed || napi_get_typedarray_info(env, arg, &type, length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    char message[64];
    snprintf(message, sizeof message, "%s must be a Uint8Array", what);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  *bytes = data;
  return 1;
}

static int count_arg(napi_env env, napi_value arg, double *out, const char *what) {
  /* In range before the integer test: NaN and huge values never reach a conversion. */
  if (napi_get_value_double(env, arg, out) != napi_ok || !(*out >= 0 && *out <= 9007199254740991.0) || *out != floor(*out)) {
    char message[96];
    snprintf(message, sizeof message, "%s must be a non-negative integer", what);
    napi_throw_range_error(env, NULL, message);
    return 0;
  }
  return 1;
}

/* Whether rows of rowBytes at start, start + stride, ... fit in length bytes. */
static int rows_fit(double start, double stride, double row_bytes, double rows, size_t length) {
  return rows == 0 || start + (rows - 1) * stride + row_bytes <= (double)length;
}

napi_value copy_rows(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value args[8];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 8) {
    napi_throw_type_error(env, NULL, "copyRows(dst, dstStart, dstStride, src, srcStart, srcStride, rowBytes, rows)");
    return NULL;
  }
  unsigned char *dst, *src;
  size_t dst_length, src_length;
  double dst_start, dst_stride, src_start, src_stride, row_bytes, rows;
  if (!bytes_arg(env, args[0], &dst, &dst_length, "dst") || !count_arg(env, args[1], &dst_start, "dstStart") || !count_arg(env, args[2], &dst_stride, "dstStride") ||
      !bytes_arg(env, args[3], &src, &src_length, "src") || !count_arg(env, args[4], &src_start, "srcStart") || !count_arg(env, args[5], &src_stride, "srcStride") ||
      !count_arg(env, args[6], &row_bytes, "rowBytes") || !count_arg(env, args[7], &rows, "rows")) {
    return NULL;
  }
  if (!rows_fit(dst_start, dst_stride, row_bytes, rows, dst_length) || !rows_fit(src_start, src_stride, row_bytes, rows, src_length)) {
    napi_throw_range_error(env, NULL, "the rows fall outside dst or src");
    return NULL;
  }
  const size_t n = (size_t)row_bytes;
  for (size_t r = 0; r < (size_t)rows; r++) memmove(dst + (size_t)dst_start + r * (size_t)dst_stride, src + (size_t)src_start + r * (size_t)src_stride, n);
  return NULL;
}
