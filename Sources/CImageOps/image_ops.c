// The only file that calls libvips; see include/image_ops.h.
#include <pthread.h>
#include <string.h>
#include <vips/vips.h>
#include "image_ops.h"

struct overens_image {
    VipsImage *image;
    // The encoded bytes: a buffer loader reads them lazily, until the pixels are decoded.
    void *source;
    int width, height;
};

/// libvips' error text, taken and cleared in one step (its buffer is shared by threads).
static char *take_error(const char *fallback) {
    char *text = vips_error_buffer_copy();
    if (text == NULL || text[0] == '\0') {
        g_free(text);
        return g_strdup(fallback);
    }
    g_strchomp(text);
    return text;
}

static void set_error(char **error, const char *fallback) {
    if (error) *error = take_error(fallback);
    else vips_error_clear();
}

static void ignore_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static int start_result = -1;
static char *start_error = NULL;

static void start(void) {
    if (VIPS_INIT("overens")) {
        start_error = take_error("libvips could not start");
        return;
    }
    // Only the loaders named here are used, but no other one may ever run on our input.
    vips_block_untrusted_set(TRUE);
    // Its operation cache keys buffer loads by address: a later image at a freed one's
    // address could get the old pixels. Every call here is made once anyway.
    vips_cache_set_max(0);
    // Decoder warnings would go to stderr; problems reach the editor as errors instead.
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, ignore_log, NULL);
    start_result = 0;
}

int overens_image_start(char **error) {
    pthread_once(&start_once, start);
    if (start_result != 0 && error) *error = g_strdup(start_error ? start_error : "libvips could not start");
    return start_result;
}

const char *overens_image_library_version(void) {
    return vips_version_string();
}

overens_image *overens_image_open(const void *data, size_t length, overens_image_format format, char **error) {
    if (overens_image_start(error)) return NULL;
    if (length == 0) {
        if (error) *error = g_strdup("the file is empty");
        return NULL;
    }
    void *source = g_malloc(length);
    memcpy(source, data, length);
    VipsImage *image = NULL;
    int result = -1;
    // Loaders by name: libvips' own choice by content could reach ImageMagick, poppler or
    // librsvg. Sequential access streams the decode; a cut-short file fails, not greys out.
    switch (format) {
    case OVERENS_IMAGE_JPEG:
        result = vips_jpegload_buffer(source, length, &image, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
        break;
    case OVERENS_IMAGE_PNG:
        result = vips_pngload_buffer(source, length, &image, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
        break;
    case OVERENS_IMAGE_WEBP:
        result = vips_webpload_buffer(source, length, &image, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
        break;
    }
    if (result != 0 || image == NULL) {
        g_free(source);
        set_error(error, "the image header cannot be read");
        return NULL;
    }
    overens_image *out = g_new0(overens_image, 1);
    out->image = image;
    out->source = source;
    gboolean swap = vips_image_get_orientation_swap(image);
    out->width = swap ? image->Ysize : image->Xsize;
    out->height = swap ? image->Xsize : image->Ysize;
    return out;
}

int overens_image_width(const overens_image *image) { return image->width; }
int overens_image_height(const overens_image *image) { return image->height; }

/// To 8-bit sRGB (grey stays grey): through the embedded ICC profile when there is one,
/// as the profile is stripped on saving and browsers take untagged images as sRGB.
static int to_srgb(VipsImage *in, VipsImage **out) {
    if (vips_image_get_typeof(in, VIPS_META_ICC_NAME)) {
        // A broken profile is no reason to refuse the photo: fall back to the plain
        // conversion, without leaving its error text for the next failure to report.
        vips_error_freeze();
        int failed = vips_icc_transform(in, out, "srgb", "embedded", TRUE, "depth", 8, NULL);
        vips_error_thaw();
        if (!failed) return 0;
    }
    VipsInterpretation space = in->Bands < 3 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
    return vips_colourspace(in, out, space, NULL);
}

int overens_image_decode(overens_image *image, char **error) {
    VipsImage *srgb = NULL, *memory = NULL, *upright = NULL;
    if (to_srgb(image->image, &srgb)) {
        set_error(error, "the image's colours cannot be converted");
        return -1;
    }
    // Reads the whole file once; a damaged or cut-short one fails here.
    memory = vips_image_copy_memory(srgb);
    g_object_unref(srgb);
    if (memory == NULL) {
        set_error(error, "the image cannot be decoded");
        return -1;
    }
    int failed = vips_autorot(memory, &upright, NULL);
    g_object_unref(memory);
    if (failed) {
        set_error(error, "the image cannot be turned upright");
        return -1;
    }
    g_object_unref(image->image);
    image->image = upright;
    g_free(image->source);
    image->source = NULL;
    image->width = upright->Xsize;
    image->height = upright->Ysize;
    return 0;
}

/// The pixels of a memory image in a new image that has no metadata at all: webpsave in
/// 8.14 writes EXIF and XMP (GPS, serial numbers) even with `strip`, so nothing but the
/// pixels may reach a saver.
static VipsImage *bare_copy(VipsImage *memory) {
    VipsImage *pixels = vips_image_new_from_memory_copy(VIPS_IMAGE_ADDR(memory, 0, 0), VIPS_IMAGE_SIZEOF_IMAGE(memory),
        memory->Xsize, memory->Ysize, memory->Bands, memory->BandFmt);
    if (pixels == NULL) return NULL;
    VipsImage *bare = NULL;
    int failed = vips_copy(pixels, &bare, "interpretation", memory->Type, "xres", memory->Xres, "yres", memory->Yres, NULL);
    g_object_unref(pixels);
    return failed ? NULL : bare;
}

overens_image *overens_image_resize(const overens_image *image, int width, char **error) {
    VipsImage *in = image->image;
    VipsImage *scaled = NULL;
    if (width >= in->Xsize) {
        scaled = in;
        g_object_ref(scaled);
    } else {
        // Both scales from whole sizes, so the result is exactly width × height.
        int height = (int)(((double)in->Ysize * width / in->Xsize) + 0.5);
        if (height < 1) height = 1;
        double hscale = (double)width / in->Xsize, vscale = (double)height / in->Ysize;
        VipsImage *t[4] = {NULL, NULL, NULL, NULL};
        int failed;
        if (vips_image_hasalpha(in)) {
            // Transparent pixels' colour must not bleed into the edges around them.
            VipsBandFormat format = in->BandFmt;
            failed = vips_premultiply(in, &t[0], NULL)
                || vips_resize(t[0], &t[1], hscale, "vscale", vscale, NULL)
                || vips_unpremultiply(t[1], &t[2], NULL)
                || vips_cast(t[2], &t[3], format, NULL);
            if (!failed) {
                scaled = t[3];
                t[3] = NULL;
            }
        } else {
            failed = vips_resize(in, &scaled, hscale, "vscale", vscale, NULL);
        }
        for (int i = 0; i < 4; i++) if (t[i]) g_object_unref(t[i]);
        if (failed) {
            set_error(error, "the image cannot be scaled");
            return NULL;
        }
    }
    // In memory, so saving it in two formats scales it once.
    VipsImage *memory = vips_image_copy_memory(scaled);
    g_object_unref(scaled);
    VipsImage *bare = memory ? bare_copy(memory) : NULL;
    if (memory) g_object_unref(memory);
    if (bare == NULL) {
        set_error(error, "the image cannot be scaled");
        return NULL;
    }
    overens_image *out = g_new0(overens_image, 1);
    out->image = bare;
    out->width = memory->Xsize;
    out->height = memory->Ysize;
    return out;
}

int overens_image_save(const overens_image *image, overens_image_format format, void **bytes, size_t *length, char **error) {
    *bytes = NULL;
    *length = 0;
    int result = -1;
    // strip: no EXIF, XMP or ICC; GPS positions and camera serials are never published.
    switch (format) {
    case OVERENS_IMAGE_JPEG:
        result = vips_jpegsave_buffer(image->image, bytes, length, "Q", 82, "optimize_coding", TRUE, "strip", TRUE, NULL);
        break;
    case OVERENS_IMAGE_PNG:
        result = vips_pngsave_buffer(image->image, bytes, length, "strip", TRUE, NULL);
        break;
    case OVERENS_IMAGE_WEBP:
        result = vips_webpsave_buffer(image->image, bytes, length, "Q", 80, "strip", TRUE, NULL);
        break;
    }
    if (result != 0) {
        g_free(*bytes);
        *bytes = NULL;
        *length = 0;
        set_error(error, "the image cannot be encoded");
        return -1;
    }
    return 0;
}

void overens_image_close(overens_image *image) {
    if (image == NULL) return;
    if (image->image) g_object_unref(image->image);
    g_free(image->source);
    g_free(image);
}

char *overens_sha256(const void *data, size_t length) {
    return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, length);
}

void overens_image_free(void *memory) {
    g_free(memory);
}
