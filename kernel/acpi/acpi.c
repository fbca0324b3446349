/*
 * acpi.c - parsing the ACPI firmware tables (concept: hardware discovery
 * through tables the firmware leaves in memory).
 *
 * The chain is: RSDP (found by scanning low memory) -> RSDT or XSDT (a list
 * of table addresses) -> the tables themselves, each starting with the same
 * 36-byte header (signature, length, checksum).  Mica needs the MADT to find
 * its CPUs and interrupt controllers, so any problem on the way to the MADT,
 * or inside it, is fatal.  Problems with any other table only cost that
 * table, and leave a warning behind.
 *
 * All tables are packed, little-endian byte layouts (ACPI 6.x spec, chapter
 * 5), so fields are read byte by byte from their offsets with rd16/rd32/rd64
 * rather than through C structures, which would need alignment and packing.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/acpi.h>
#include <mica/errno.h>
#include <mica/string.h>

/* RSDP: "RSD PTR ", then the ACPI 1.0 part (20 bytes), then the 2.0 extension. */
#define RSDP_V1_LEN     20 /* bytes covered by the first checksum */
#define RSDP_V2_LEN     36 /* minimum length of a revision >= 2 RSDP */
#define RSDP_MAX_LEN    4096
#define RSDP_OEMID      9
#define RSDP_REVISION   15
#define RSDP_RSDT       16
#define RSDP_LENGTH     20
#define RSDP_XSDT       24
#define RSDP_SEARCH_BDA 0x40E /* BIOS data area word: EBDA segment */
#define RSDP_BIOS_START 0xE0000
#define RSDP_BIOS_LEN   0x20000

/* The header every other table starts with. */
#define SDT_HEADER_LEN 36
#define SDT_LENGTH     4
#define SDT_MAX_LEN    (16u * 1024 * 1024) /* sanity limit; real tables are far smaller */

/* MADT ("APIC"): local APIC address, flags, then variable-length entries. */
#define MADT_LAPIC_ADDR  36
#define MADT_FLAGS       40
#define MADT_ENTRIES     44
#define MADT_PCAT_COMPAT 0x1

enum madt_type {
    MADT_LAPIC = 0,
    MADT_IOAPIC = 1,
    MADT_OVERRIDE = 2,
    MADT_LAPIC_NMI = 4,
    MADT_LAPIC_ADDR_OVERRIDE = 5,
    MADT_X2APIC = 9,
    MADT_X2APIC_NMI = 10,
};

#define LAPIC_ENABLED        0x1
#define LAPIC_ONLINE_CAPABLE 0x2
#define NMI_ALL_PROCESSORS   0xff

/* HPET: the event timer block's address is a Generic Address Structure. */
#define HPET_ADDR_SPACE 40 /* 0 = system memory */
#define HPET_ADDRESS    44
#define HPET_MIN_TICK   53
#define HPET_LEN        56

/* MCFG: 8 reserved bytes after the header, then 16-byte entries. */
#define MCFG_ENTRIES   44
#define MCFG_ENTRY_LEN 16

/* Everything the parsing functions share. */
struct parser {
    acpi_map_fn map;
    void *ctx;
    struct acpi_info *out;
    char *why;
    size_t whylen;
    bool seen_madt;
};

/* ---- Reading little-endian fields ---- */

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

bool acpi_checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + b[i]);
    return sum == 0;
}

/* ---- Building messages (the parser has no printf of its own) ---- */

/* Append s to the NUL-terminated string in buf, truncating to fit. */
static void append(char *buf, size_t size, const char *s)
{
    size_t len = strnlen(buf, size);

    while (*s != '\0' && len + 1 < size)
        buf[len++] = *s++;
    if (len < size)
        buf[len] = '\0';
}

/* Decimal text of v. */
static void dec_text(uint64_t v, char out[21])
{
    char tmp[21];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* "0x" and 16 hex digits of v. */
static void hex_text(uint64_t v, char out[19])
{
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < 16; i++)
        out[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
    out[18] = '\0';
}

/* A table signature as printable text ('?' for anything odd). */
static void sig_text(const uint8_t *sig, char out[5])
{
    for (int i = 0; i < 4; i++)
        out[i] = (sig[i] >= 0x20 && sig[i] < 0x7f) ? (char)sig[i] : '?';
    out[4] = '\0';
}

/* buf = a + b + c (any of them may be ""). */
static void compose(char *buf, size_t size, const char *a, const char *b, const char *c)
{
    if (buf == NULL || size == 0)
        return;
    buf[0] = '\0';
    append(buf, size, a);
    append(buf, size, b);
    append(buf, size, c);
}

/* Record a fatal problem in why and return -EINVAL. */
static int fail(struct parser *p, const char *a, const char *b, const char *c)
{
    compose(p->why, p->whylen, a, b, c);
    return -EINVAL;
}

/* Record a warning, unless it is already recorded or there is no room left. */
static void warn(struct parser *p, const char *a, const char *b, const char *c)
{
    struct acpi_info *out = p->out;
    char text[sizeof(out->warnings[0])];

    compose(text, sizeof(text), a, b, c);
    for (unsigned i = 0; i < out->nwarnings; i++) {
        if (strcmp(out->warnings[i], text) == 0)
            return;
    }
    if (out->nwarnings >= ACPI_MAX_WARNINGS)
        return;
    memcpy(out->warnings[out->nwarnings], text, sizeof(text));
    out->nwarnings++;
}

/* ---- Finding and checking the RSDP ---- */

/*
 * Check the RSDP at phys.  Returns NULL and the mapped RSDP in *rsdp if it
 * is valid, or else a description of what is wrong with it.
 */
static const char *rsdp_problem(acpi_map_fn map, void *ctx, uint64_t phys, const uint8_t **rsdp)
{
    const uint8_t *r = map(phys, RSDP_V1_LEN, ctx);

    if (r == NULL)
        return "ACPI: RSDP not readable";
    if (memcmp(r, "RSD PTR ", 8) != 0)
        return "ACPI: RSDP signature mismatch";
    if (!acpi_checksum_ok(r, RSDP_V1_LEN))
        return "ACPI: RSDP checksum mismatch";
    if (r[RSDP_REVISION] >= 2) {
        uint32_t len = rd32(r + RSDP_LENGTH);
        if (len < RSDP_V2_LEN || len > RSDP_MAX_LEN)
            return "ACPI: RSDP length field invalid";
        r = map(phys, len, ctx);
        if (r == NULL)
            return "ACPI: RSDP not readable";
        if (!acpi_checksum_ok(r, len))
            return "ACPI: RSDP extended checksum mismatch";
    }
    *rsdp = r;
    return NULL;
}

/* Search [start, start+len) on 16-byte boundaries for a valid RSDP. */
static bool scan_for_rsdp(acpi_map_fn map, void *ctx, uint64_t start, size_t len, uint64_t *found)
{
    const uint8_t *area = map(start, len, ctx);

    if (area == NULL)
        return false;
    size_t first = (size_t)((16 - start % 16) % 16); /* first 16-byte boundary */
    for (size_t off = first; off + RSDP_V1_LEN <= len; off += 16) {
        const uint8_t *rsdp;
        if (memcmp(area + off, "RSD PTR ", 8) != 0)
            continue;
        if (rsdp_problem(map, ctx, start + off, &rsdp) == NULL) {
            *found = start + off;
            return true;
        }
    }
    return false;
}

int acpi_find_rsdp(acpi_map_fn map, void *ctx, uint64_t ebda_hint, uint64_t *rsdp_phys)
{
    uint64_t ebda = ebda_hint;

    if (ebda == 0) {
        const uint8_t *bda = map(RSDP_SEARCH_BDA, 2, ctx);
        if (bda != NULL)
            ebda = (uint64_t)rd16(bda) << 4; /* a real-mode segment */
    }
    if (ebda != 0 && scan_for_rsdp(map, ctx, ebda, 1024, rsdp_phys))
        return 0;
    if (scan_for_rsdp(map, ctx, RSDP_BIOS_START, RSDP_BIOS_LEN, rsdp_phys))
        return 0;
    return -ENOENT;
}

/* ---- Mapping tables ---- */

enum table_status {
    TABLE_OK,
    TABLE_UNREADABLE,
    TABLE_BAD_LENGTH,
    TABLE_BAD_CHECKSUM,
};

/*
 * Map the whole table whose header hdr (already mapped) sits at phys, and
 * check its length and checksum.  On TABLE_OK, *table and *len describe it.
 */
static enum table_status map_table(struct parser *p, uint64_t phys, const uint8_t *hdr,
                                   const uint8_t **table, uint32_t *len)
{
    *len = rd32(hdr + SDT_LENGTH);
    if (*len < SDT_HEADER_LEN || *len > SDT_MAX_LEN)
        return TABLE_BAD_LENGTH;
    *table = p->map(phys, *len, p->ctx);
    if (*table == NULL)
        return TABLE_UNREADABLE;
    if (!acpi_checksum_ok(*table, *len))
        return TABLE_BAD_CHECKSUM;
    return TABLE_OK;
}

/* Describe a status other than TABLE_OK, e.g. " has invalid length 12". */
static void status_text(enum table_status status, uint32_t len, char *buf, size_t size)
{
    char num[21];

    dec_text(len, num);
    switch (status) {
    case TABLE_UNREADABLE:
        compose(buf, size, " not readable", "", "");
        break;
    case TABLE_BAD_LENGTH:
        compose(buf, size, " has invalid length ", num, "");
        break;
    default:
        compose(buf, size, " checksum mismatch", "", "");
        break;
    }
}

/* ---- The MADT ---- */

/* Smallest valid length of each MADT entry type we read; 0 for types we skip. */
static uint8_t madt_min_len(uint8_t type)
{
    switch (type) {
    case MADT_LAPIC:
        return 8;
    case MADT_IOAPIC:
        return 12;
    case MADT_OVERRIDE:
        return 10;
    case MADT_LAPIC_NMI:
        return 6;
    case MADT_LAPIC_ADDR_OVERRIDE:
        return 12;
    case MADT_X2APIC:
        return 16;
    case MADT_X2APIC_NMI:
        return 12;
    default:
        return 0;
    }
}

static void add_cpu(struct parser *p, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
    struct acpi_info *out = p->out;
    char num[21];

    for (unsigned i = 0; i < out->ncpus; i++) {
        if (out->cpus[i].apic_id == apic_id) {
            dec_text(apic_id, num);
            warn(p, "ACPI: APIC ID ", num, " listed twice, second entry ignored");
            return;
        }
    }
    if (out->ncpus >= ACPI_MAX_CPUS) {
        warn(p, "ACPI: more CPUs than ACPI_MAX_CPUS, extra ones ignored", "", "");
        return;
    }
    struct acpi_cpu *cpu = &out->cpus[out->ncpus++];
    cpu->apic_id = apic_id;
    cpu->acpi_uid = uid;
    cpu->enabled = (flags & LAPIC_ENABLED) != 0;
    cpu->online_capable = (flags & LAPIC_ONLINE_CAPABLE) != 0;
}

static void add_ioapic(struct parser *p, const uint8_t *e)
{
    struct acpi_info *out = p->out;

    if (out->nioapics >= ACPI_MAX_IOAPICS) {
        warn(p, "ACPI: more I/O APICs than ACPI_MAX_IOAPICS, extra ones ignored", "", "");
        return;
    }
    struct acpi_ioapic *io = &out->ioapics[out->nioapics++];
    io->id = e[2];
    io->phys = rd32(e + 4);
    io->gsi_base = rd32(e + 8);
}

static void add_override(struct parser *p, const uint8_t *e)
{
    struct acpi_info *out = p->out;

    if (out->noverrides >= ACPI_MAX_OVERRIDES) {
        warn(p, "ACPI: more interrupt overrides than ACPI_MAX_OVERRIDES, extra ones ignored", "",
             "");
        return;
    }
    struct acpi_override *ov = &out->overrides[out->noverrides++];
    ov->bus_irq = e[3];
    ov->gsi = rd32(e + 4);
    ov->flags = rd16(e + 8);
}

/* Remember which LINT pin carries NMI; the first entry found is used. */
static void set_nmi_lint(struct parser *p, uint8_t lint)
{
    if (p->out->lapic_nmi_lint == 0xff)
        p->out->lapic_nmi_lint = lint;
}

/* Handle one MADT entry e, whose length has already been checked. */
static void madt_entry(struct parser *p, const uint8_t *e)
{
    switch (e[0]) {
    case MADT_LAPIC:
        add_cpu(p, e[3], e[2], rd32(e + 4));
        break;
    case MADT_X2APIC:
        add_cpu(p, rd32(e + 4), rd32(e + 12), rd32(e + 8));
        break;
    case MADT_IOAPIC:
        add_ioapic(p, e);
        break;
    case MADT_OVERRIDE:
        add_override(p, e);
        break;
    case MADT_LAPIC_NMI:
        set_nmi_lint(p, e[5]);
        break;
    case MADT_X2APIC_NMI:
        set_nmi_lint(p, e[8]);
        break;
    case MADT_LAPIC_ADDR_OVERRIDE:
        p->out->lapic_phys = rd64(e + 4);
        break;
    default:
        break; /* a type Mica does not use */
    }
}

/* Walk the MADT's entries; any malformed entry is fatal. */
static int parse_madt(struct parser *p, const uint8_t *t, uint32_t len)
{
    char num[21], num2[21];

    if (len < MADT_ENTRIES) {
        dec_text(len, num);
        return fail(p, "ACPI: MADT has invalid length ", num, "");
    }
    p->out->lapic_phys = rd32(t + MADT_LAPIC_ADDR);
    p->out->pcat_compat = (rd32(t + MADT_FLAGS) & MADT_PCAT_COMPAT) != 0;

    /* Each entry starts with its type and its length (which includes these two bytes). */
    uint32_t off = MADT_ENTRIES;
    while (off < len) {
        dec_text(off, num);
        if (len - off < 2)
            return fail(p, "ACPI: MADT entry at offset ", num, " runs past the end of the table");
        uint8_t elen = t[off + 1];
        if (elen < 2) {
            char tail[32];
            dec_text(elen, num2);
            compose(tail, sizeof(tail), " has length ", num2, "");
            return fail(p, "ACPI: MADT entry at offset ", num, tail);
        }
        if (elen > len - off)
            return fail(p, "ACPI: MADT entry at offset ", num, " runs past the end of the table");
        if (elen < madt_min_len(t[off]))
            return fail(p, "ACPI: MADT entry at offset ", num, " is too short for its type");
        madt_entry(p, t + off);
        off += elen;
    }
    if (p->out->ncpus == 0)
        return fail(p, "ACPI: MADT lists no processors", "", "");
    return 0;
}

/* ---- The HPET and MCFG tables (problems here are only warnings) ---- */

static void parse_hpet(struct parser *p, const uint8_t *t, uint32_t len)
{
    struct acpi_info *out = p->out;

    if (out->has_hpet) {
        warn(p, "ACPI: extra HPET table ignored", "", "");
        return;
    }
    if (len < HPET_LEN) {
        warn(p, "ACPI: HPET table too short, ignored", "", "");
        return;
    }
    if (t[HPET_ADDR_SPACE] != 0 || rd64(t + HPET_ADDRESS) == 0) {
        warn(p, "ACPI: HPET address not in memory space, ignored", "", "");
        return;
    }
    out->has_hpet = true;
    out->hpet_phys = rd64(t + HPET_ADDRESS);
    out->hpet_min_tick = rd16(t + HPET_MIN_TICK);
}

static void parse_mcfg(struct parser *p, const uint8_t *t, uint32_t len)
{
    struct acpi_info *out = p->out;
    char num[21];

    if (out->has_mcfg) {
        warn(p, "ACPI: extra MCFG table ignored", "", "");
        return;
    }
    if (len < MCFG_ENTRIES || (len - MCFG_ENTRIES) % MCFG_ENTRY_LEN != 0) {
        dec_text(len, num);
        warn(p, "ACPI: MCFG has invalid length ", num, ", ignored");
        return;
    }
    for (uint32_t off = MCFG_ENTRIES; off < len; off += MCFG_ENTRY_LEN) {
        const uint8_t *e = t + off;
        if (out->nmcfg >= ACPI_MAX_MCFG) {
            warn(p, "ACPI: more MCFG entries than ACPI_MAX_MCFG, extra ones ignored", "", "");
            break;
        }
        if (e[10] > e[11]) {
            warn(p, "ACPI: MCFG entry with start bus > end bus ignored", "", "");
            continue;
        }
        struct acpi_mcfg *m = &out->mcfg[out->nmcfg++];
        m->base = rd64(e);
        m->segment = rd16(e + 8);
        m->bus_start = e[10];
        m->bus_end = e[11];
    }
    out->has_mcfg = out->nmcfg > 0;
}

/* ---- The tables listed by the RSDT/XSDT ---- */

/* The MADT: every problem is fatal. */
static int handle_madt(struct parser *p, uint64_t phys, const uint8_t *hdr)
{
    const uint8_t *t = NULL;
    uint32_t len;
    char reason[64];

    if (p->seen_madt) {
        warn(p, "ACPI: second MADT ignored", "", "");
        return 0;
    }
    p->seen_madt = true;
    enum table_status status = map_table(p, phys, hdr, &t, &len);
    if (status != TABLE_OK) {
        status_text(status, len, reason, sizeof(reason));
        return fail(p, "ACPI: MADT", reason, "");
    }
    return parse_madt(p, t, len);
}

/* Any other table: a problem means a warning and the table is skipped. */
static void handle_other(struct parser *p, uint64_t phys, const uint8_t *hdr, const char *sig)
{
    const uint8_t *t = NULL;
    uint32_t len;
    char reason[64];

    enum table_status status = map_table(p, phys, hdr, &t, &len);
    if (status != TABLE_OK) {
        status_text(status, len, reason, sizeof(reason));
        append(reason, sizeof(reason), ", table ignored");
        warn(p, "ACPI: ", sig, reason);
        return;
    }
    if (memcmp(hdr, "HPET", 4) == 0)
        parse_hpet(p, t, len);
    else if (memcmp(hdr, "MCFG", 4) == 0)
        parse_mcfg(p, t, len);
}

/* Entry i of the root table points to phys: record its signature and parse it. */
static int handle_listed_table(struct parser *p, unsigned i, uint64_t phys)
{
    char sig[5] = "????";
    char where[19];
    const uint8_t *hdr = NULL;

    if (phys != 0)
        hdr = p->map(phys, SDT_HEADER_LEN, p->ctx);
    if (hdr != NULL)
        sig_text(hdr, sig);
    if (i < ACPI_MAX_TABLES)
        memcpy(p->out->table_sigs[i], sig, sizeof(sig));
    if (phys == 0) {
        warn(p, "ACPI: null table address in the RSDT/XSDT, ignored", "", "");
        return 0;
    }
    if (hdr == NULL) {
        hex_text(phys, where);
        warn(p, "ACPI: table at ", where, " not readable, ignored");
        return 0;
    }
    if (memcmp(hdr, "APIC", 4) == 0)
        return handle_madt(p, phys, hdr);
    handle_other(p, phys, hdr, sig);
    return 0;
}

/* Check the RSDT or XSDT at phys, then go through the tables it lists. */
static int parse_root(struct parser *p, uint64_t phys)
{
    const char *name = p->out->use_xsdt ? "XSDT" : "RSDT";
    unsigned entry_size = p->out->use_xsdt ? 8 : 4;
    const uint8_t *t = NULL;
    uint32_t len;
    char reason[64];

    if (phys == 0)
        return fail(p, "ACPI: ", name, " address is 0");
    const uint8_t *hdr = p->map(phys, SDT_HEADER_LEN, p->ctx);
    if (hdr == NULL)
        return fail(p, "ACPI: ", name, " not readable");
    if (memcmp(hdr, name, 4) != 0)
        return fail(p, "ACPI: ", name, " signature mismatch");
    enum table_status status = map_table(p, phys, hdr, &t, &len);
    if (status != TABLE_OK) {
        status_text(status, len, reason, sizeof(reason));
        return fail(p, "ACPI: ", name, reason);
    }

    p->out->ntables = (len - SDT_HEADER_LEN) / entry_size;
    for (unsigned i = 0; i < p->out->ntables; i++) {
        const uint8_t *e = t + SDT_HEADER_LEN + i * entry_size;
        uint64_t table_phys = p->out->use_xsdt ? rd64(e) : rd32(e);
        int err = handle_listed_table(p, i, table_phys);
        if (err < 0)
            return err;
    }
    if (!p->seen_madt)
        return fail(p, "ACPI: no MADT (APIC table) found", "", "");
    return 0;
}

static void reset_info(struct acpi_info *out, uint64_t rsdp_phys)
{
    memset(out, 0, sizeof(*out));
    out->rsdp_phys = rsdp_phys;
    out->lapic_nmi_lint = 0xff;
}

int acpi_parse(uint64_t rsdp_phys, acpi_map_fn map, void *ctx, struct acpi_info *out, char *why,
               size_t whylen)
{
    struct parser p = {map, ctx, out, why, whylen, false};
    const uint8_t *rsdp = NULL;

    compose(why, whylen, "", "", "");
    if (map == NULL || out == NULL)
        return fail(&p, "ACPI: acpi_parse called without map function or output", "", "");
    reset_info(out, rsdp_phys);

    const char *problem = rsdp_problem(map, ctx, rsdp_phys, &rsdp);
    if (problem != NULL)
        return fail(&p, problem, "", "");
    out->revision = rsdp[RSDP_REVISION];
    memcpy(out->oem_id, rsdp + RSDP_OEMID, 6);
    out->oem_id[6] = '\0';

    uint64_t root = rsdp[RSDP_REVISION] >= 2 ? rd64(rsdp + RSDP_XSDT) : 0;
    out->use_xsdt = root != 0;
    if (!out->use_xsdt)
        root = rd32(rsdp + RSDP_RSDT);
    return parse_root(&p, root);
}
