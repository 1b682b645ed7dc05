{
  "targets": [
    {
      "target_name": "geopera_jpeg",
      "sources": ["src/raster/native/jpeg.addon.c"],
      "libraries": ["-ljpeg"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
