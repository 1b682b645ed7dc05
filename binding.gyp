{
  "targets": [
    {
      "target_name": "geopera_codecs",
      "sources": ["src/raster/native/addon.c", "src/raster/native/jpeg.c", "src/raster/native/png.c", "src/raster/native/deflate.c", "src/raster/native/rows.c"],
      "libraries": ["-ljpeg", "-ldeflate"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
