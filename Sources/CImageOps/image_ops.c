// The only file that calls libvips; see include/image_ops.h.
//
// libvips is opened with dlopen when the first image needs it, not linked: its ~100
// libraries cost every run about 16 ms of symbol binding at start-up, and most builds
// (and every site without photos) never touch an image. Its headers still give every
// call its exact type; only GLib, which is cheap to load, is linked.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>
#include "image_ops.h"

// Every libvips and GObject function called below, called through `lib.<name>`.
#define LIBVIPS_FUNCTIONS(X) \
    X(vips_version) X(vips_version_string) X(vips_init) \
    X(vips_error_buffer_copy) X(vips_error_clear) X(vips_error_freeze) X(vips_error_thaw) \
    X(vips_block_untrusted_set) X(vips_cache_set_max) \
    X(vips_jpegload_buffer) X(vips_pngload_buffer) X(vips_webpload_buffer) \
    X(vips_image_get_orientation_swap) X(vips_image_get_typeof) X(vips_image_hasalpha) \
    X(vips_icc_transform) X(vips_colourspace) X(vips_image_copy_memory) X(vips_autorot) \
    X(vips_image_new_from_memory_copy) X(vips_format_sizeof_unsafe) X(vips_copy) \
    X(vips_premultiply) X(vips_resize) X(vips_unpremultiply) X(vips_cast) \
    X(vips_jpegsave_buffer) X(vips_pngsave_buffer) X(vips_webpsave_buffer) \
    X(g_object_ref) X(g_object_unref)

#define LIBVIPS_MEMBER(name) __typeof__(name) *name;
static struct { LIBVIPS_FUNCTIONS(LIBVIPS_MEMBER) } lib;

// The size macro of vips/image.h calls vips_format_sizeof_unsafe by its linked name.
#define PIXELS_SIZE(I) \
    (lib.vips_format_sizeof_unsafe((I)->BandFmt) * (guint64)(I)->Bands * (I)->Xsize * (I)->Ysize)

struct overens_image {
    VipsImage *image;
    // The encoded bytes: a buffer loader reads them lazily, until the pixels are decoded.
    void *source;
    int width, height;
};

/// libvips' error text, taken and cleared in one step (its buffer is shared by threads).
static char *take_error(const char *fallback) {
    char *text = lib.vips_error_buffer_copy();
    if (text == NULL || text[0] == '\0') {
        g_free(text);
        return g_strdup(fallback);
    }
    g_strchomp(text);
    return text;
}

static void set_error(char **error, const char *fallback) {
    if (error) *error = take_error(fallback);
    else lib.vips_error_clear();
}

static void ignore_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static int start_result = -1;
static char *start_error = NULL;

/// Opens the libvips these headers describe (its soname is their ABI version) and looks up
/// every function; false with start_error set when it is missing or lacks one.
static int open_library(void) {
    char soname[64];
    snprintf(soname, sizeof soname, "libvips.so.%d", VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE);
    void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        start_error = g_strdup_printf("libvips (%s) could not be loaded: %s", soname, reason ? reason : "not found");
        return 0;
    }
    const char *missing = NULL;
#define LIBVIPS_LOOKUP(name) \
    if ((lib.name = (__typeof__(name) *)dlsym(handle, #name)) == NULL && missing == NULL) missing = #name;
    LIBVIPS_FUNCTIONS(LIBVIPS_LOOKUP)
#undef LIBVIPS_LOOKUP
    if (missing) {
        start_error = g_strdup_printf("libvips (%s) has no %s", soname, missing);
        return 0;
    }
    return 1;
}

static void start(void) {
    if (!open_library()) return;
    // VIPS_INIT's check, spelt out: the library must have the ABI of these headers.
    if (lib.vips_version(3) - lib.vips_version(5) != VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE) {
        start_error = g_strdup_printf("libvips has ABI version %d, overens was built for %d",
            lib.vips_version(3) - lib.vips_version(5), VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE);
        return;
    }
    if (lib.vips_init("overens")) {
        start_error = take_error("libvips could not start");
        return;
    }
    // Only the loaders named here are used, but no other one may ever run on our input.
    lib.vips_block_untrusted_set(TRUE);
    // Its operation cache keys buffer loads by address: a later image at a freed one's
    // address could get the old pixels. Every call here is made once anyway.
    lib.vips_cache_set_max(0);
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
    if (overens_image_start(NULL)) return "unavailable";
    return lib.vips_version_string();
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
        result = lib.vips_jpegload_buffer(source, length, &image, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
        break;
    case OVERENS_IMAGE_PNG:
        result = lib.vips_pngload_buffer(source, length, &image, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
        break;
    case OVERENS_IMAGE_WEBP:
        result = lib.vips_webpload_buffer(source, length, &image, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
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
    gboolean swap = lib.vips_image_get_orientation_swap(image);
    out->width = swap ? image->Ysize : image->Xsize;
    out->height = swap ? image->Xsize : image->Ysize;
    return out;
}

int overens_image_width(const overens_image *image) { return image->width; }
int overens_image_height(const overens_image *image) { return image->height; }

/// To 8-bit sRGB (grey stays grey): through the embedded ICC profile when there is one,
/// as the profile is stripped on saving and browsers take untagged images as sRGB.
static int to_srgb(VipsImage *in, VipsImage **out) {
    if (lib.vips_image_get_typeof(in, VIPS_META_ICC_NAME)) {
        // A broken profile is no reason to refuse the photo: fall back to the plain
        // conversion, without leaving its error text for the next failure to report.
        lib.vips_error_freeze();
        int failed = lib.vips_icc_transform(in, out, "srgb", "embedded", TRUE, "depth", 8, NULL);
        lib.vips_error_thaw();
        if (!failed) return 0;
    }
    VipsInterpretation space = in->Bands < 3 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
    return lib.vips_colourspace(in, out, space, NULL);
}

int overens_image_decode(overens_image *image, char **error) {
    VipsImage *srgb = NULL, *memory = NULL, *upright = NULL;
    if (to_srgb(image->image, &srgb)) {
        set_error(error, "the image's colours cannot be converted");
        return -1;
    }
    // Reads the whole file once; a damaged or cut-short one fails here.
    memory = lib.vips_image_copy_memory(srgb);
    lib.g_object_unref(srgb);
    if (memory == NULL) {
        set_error(error, "the image cannot be decoded");
        return -1;
    }
    int failed = lib.vips_autorot(memory, &upright, NULL);
    lib.g_object_unref(memory);
    if (failed) {
        set_error(error, "the image cannot be turned upright");
        return -1;
    }
    lib.g_object_unref(image->image);
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
    VipsImage *pixels = lib.vips_image_new_from_memory_copy(memory->data, PIXELS_SIZE(memory),
        memory->Xsize, memory->Ysize, memory->Bands, memory->BandFmt);
    if (pixels == NULL) return NULL;
    VipsImage *bare = NULL;
    int failed = lib.vips_copy(pixels, &bare, "interpretation", memory->Type, "xres", memory->Xres, "yres", memory->Yres, NULL);
    lib.g_object_unref(pixels);
    return failed ? NULL : bare;
}

overens_image *overens_image_resize(const overens_image *image, int width, char **error) {
    VipsImage *in = image->image;
    VipsImage *scaled = NULL;
    if (width >= in->Xsize) {
        scaled = in;
        (lib.g_object_ref)(scaled); // GLib makes g_object_ref( a macro
    } else {
        // Both scales from whole sizes, so the result is exactly width × height.
        int height = (int)(((double)in->Ysize * width / in->Xsize) + 0.5);
        if (height < 1) height = 1;
        double hscale = (double)width / in->Xsize, vscale = (double)height / in->Ysize;
        VipsImage *t[4] = {NULL, NULL, NULL, NULL};
        int failed;
        if (lib.vips_image_hasalpha(in)) {
            // Transparent pixels' colour must not bleed into the edges around them.
            VipsBandFormat format = in->BandFmt;
            failed = lib.vips_premultiply(in, &t[0], NULL)
                || lib.vips_resize(t[0], &t[1], hscale, "vscale", vscale, NULL)
                || lib.vips_unpremultiply(t[1], &t[2], NULL)
                || lib.vips_cast(t[2], &t[3], format, NULL);
            if (!failed) {
                scaled = t[3];
                t[3] = NULL;
            }
        } else {
            failed = lib.vips_resize(in, &scaled, hscale, "vscale", vscale, NULL);
        }
        for (int i = 0; i < 4; i++) if (t[i]) lib.g_object_unref(t[i]);
        if (failed) {
            set_error(error, "the image cannot be scaled");
            return NULL;
        }
    }
    // In memory, so saving it in two formats scales it once.
    VipsImage *memory = lib.vips_image_copy_memory(scaled);
    lib.g_object_unref(scaled);
    VipsImage *bare = memory ? bare_copy(memory) : NULL;
    if (memory) lib.g_object_unref(memory);
    if (bare == NULL) {
        set_error(error, "the image cannot be scaled");
        return NULL;
    }
    overens_image *out = g_new0(overens_image, 1);
    out->image = bare;
    out->width = bare->Xsize;
    out->height = bare->Ysize;
    return out;
}

int overens_image_save(const overens_image *image, overens_image_format format, void **bytes, size_t *length, char **error) {
    *bytes = NULL;
    *length = 0;
    int result = -1;
    // strip: no EXIF, XMP or ICC; GPS positions and camera serials are never published.
    switch (format) {
    case OVERENS_IMAGE_JPEG:
        result = lib.vips_jpegsave_buffer(image->image, bytes, length, "Q", 82, "optimize_coding", TRUE, "strip", TRUE, NULL);
        break;
    case OVERENS_IMAGE_PNG:
        result = lib.vips_pngsave_buffer(image->image, bytes, length, "strip", TRUE, NULL);
        break;
    case OVERENS_IMAGE_WEBP:
        result = lib.vips_webpsave_buffer(image->image, bytes, length, "Q", 80, "strip", TRUE, NULL);
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
    if (image->image) lib.g_object_unref(image->image);
    g_free(image->source);
    g_free(image);
}

char *overens_sha256(const void *data, size_t length) {
    return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, length);
}

void overens_image_free(void *memory) {
    g_free(memory);
}
