// Test support only: draws and measures images for ImageTests.
#include <string.h>
#include <vips/vips.h>
#include "image_fixtures.h"

static int start(void) {
    if (VIPS_INIT("overens-tests")) return -1;
    // As in the library: no cached load may answer for another buffer at the same address.
    vips_cache_set_max(0);
    return 0;
}

int overens_fixture_encode(int width, int height, int bands, int format, unsigned seed, int profile, void **bytes, size_t *length) {
    if (start() || width < 1 || height < 1 || (bands != 3 && bands != 4)) return -1;
    size_t size = (size_t)width * height * bands;
    unsigned char *pixels = g_malloc(size);
    unsigned state = seed * 2654435761u + 1;
    int band = height / 5;
    for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
            unsigned char *p = pixels + ((size_t)y * width + x) * bands;
            if (y < band) {
                p[0] = 255; p[1] = 0; p[2] = 0;
                if (bands == 4) p[3] = 255;
                continue;
            }
            state = state * 1664525u + 1013904223u;
            int noise = (int)((state >> 24) % 41) - 20;
            int g = 40 + 160 * x / width + noise, b = 60 + 160 * y / height + noise;
            p[0] = 20;
            p[1] = (unsigned char)(g < 0 ? 0 : g > 255 ? 255 : g);
            p[2] = (unsigned char)(b < 0 ? 0 : b > 255 ? 255 : b);
            if (bands == 4) p[3] = 128;
        }
    }
    VipsImage *raw = vips_image_new_from_memory_copy(pixels, size, width, height, bands, VIPS_FORMAT_UCHAR);
    g_free(pixels);
    if (raw == NULL) return -1;
    VipsImage *image = NULL;
    int failed = vips_copy(raw, &image, "interpretation", VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(raw);
    if (failed) return -1;
    const char *icc = profile ? "srgb" : "none";
    switch (format) {
    case 0: failed = vips_jpegsave_buffer(image, bytes, length, "Q", 90, "profile", icc, NULL); break;
    case 1: failed = vips_pngsave_buffer(image, bytes, length, "profile", icc, NULL); break;
    case 2: failed = vips_webpsave_buffer(image, bytes, length, "Q", 90, "profile", icc, NULL); break;
    default: failed = -1;
    }
    g_object_unref(image);
    return failed ? -1 : 0;
}

static VipsImage *load(const void *data, size_t length, int format) {
    VipsImage *image = NULL;
    int failed = -1;
    switch (format) {
    case 0: failed = vips_jpegload_buffer((void *)data, length, &image, NULL); break;
    case 1: failed = vips_pngload_buffer((void *)data, length, &image, NULL); break;
    case 2: failed = vips_webpload_buffer((void *)data, length, &image, NULL); break;
    }
    return failed ? NULL : image;
}

int overens_fixture_mean(const void *data, size_t length, int format, int x, int y, int width, int height, double rgb[3]) {
    if (start()) return -1;
    VipsImage *image = load(data, length, format);
    if (image == NULL) return -1;
    VipsImage *area = NULL;
    int failed = vips_extract_area(image, &area, x, y, width, height, NULL);
    for (int i = 0; i < 3 && !failed; i++) {
        VipsImage *band = NULL;
        failed = vips_extract_band(area, &band, i < area->Bands ? i : 0, NULL) || vips_avg(band, &rgb[i], NULL);
        if (band) g_object_unref(band);
    }
    if (area) g_object_unref(area);
    g_object_unref(image);
    return failed ? -1 : 0;
}

int overens_fixture_size(const void *data, size_t length, int format, int *width, int *height, int *bands) {
    if (start()) return -1;
    VipsImage *image = load(data, length, format);
    if (image == NULL) return -1;
    *width = image->Xsize;
    *height = image->Ysize;
    *bands = image->Bands;
    g_object_unref(image);
    return 0;
}

void overens_fixture_free(void *memory) {
    g_free(memory);
}
