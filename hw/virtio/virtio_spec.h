/* hw/virtio/virtio_spec.h: numbers from the virtio 1.1 specification that
 * ember's devices and the test guests driving them share: the virtio-mmio
 * register map (4.2.2), status bits (2.1), descriptor flags (2.6.5),
 * virtio-blk request types and statuses (5.2.6), and virtio-net's
 * features, config space and frame header (5.1). Freestanding, so
 * bare-metal guests include it too. */
#ifndef EMBER_HW_VIRTIO_VIRTIO_SPEC_H
#define EMBER_HW_VIRTIO_VIRTIO_SPEC_H

enum virtio_mmio_reg {
    VIRTIO_MMIO_MAGIC = 0x000,
    VIRTIO_MMIO_VERSION = 0x004,
    VIRTIO_MMIO_DEVICE_ID = 0x008,
    VIRTIO_MMIO_VENDOR_ID = 0x00c,
    VIRTIO_MMIO_DEVICE_FEATURES = 0x010,
    VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014,
    VIRTIO_MMIO_DRIVER_FEATURES = 0x020,
    VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024,
    VIRTIO_MMIO_QUEUE_SEL = 0x030,
    VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034,
    VIRTIO_MMIO_QUEUE_NUM = 0x038,
    VIRTIO_MMIO_QUEUE_READY = 0x044,
    VIRTIO_MMIO_QUEUE_NOTIFY = 0x050,
    VIRTIO_MMIO_INTERRUPT_STATUS = 0x060,
    VIRTIO_MMIO_INTERRUPT_ACK = 0x064,
    VIRTIO_MMIO_STATUS = 0x070,
    VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080,
    VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084,
    VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090,
    VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094,
    VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0,
    VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4,
    VIRTIO_MMIO_SHM_SEL = 0x0ac,
    VIRTIO_MMIO_SHM_LEN_LOW = 0x0b0,
    VIRTIO_MMIO_SHM_LEN_HIGH = 0x0b4,
    VIRTIO_MMIO_SHM_BASE_LOW = 0x0b8,
    VIRTIO_MMIO_SHM_BASE_HIGH = 0x0bc,
    VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc,
    VIRTIO_MMIO_CONFIG = 0x100,
};

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976 /* "virt" */
#define VIRTIO_MMIO_VERSION_MODERN 2       /* version 1 is the legacy interface */

enum virtio_status {
    VIRTIO_STATUS_ACKNOWLEDGE = 1,
    VIRTIO_STATUS_DRIVER = 2,
    VIRTIO_STATUS_DRIVER_OK = 4,
    VIRTIO_STATUS_FEATURES_OK = 8,
    VIRTIO_STATUS_NEEDS_RESET = 64,
    VIRTIO_STATUS_FAILED = 128,
};

/* Interrupt status bits. */
enum { VIRTIO_ISR_QUEUE = 1, VIRTIO_ISR_CONFIG = 2 };

enum virtq_desc_flag {
    VIRTQ_DESC_F_NEXT = 1,
    VIRTQ_DESC_F_WRITE = 2,
    VIRTQ_DESC_F_INDIRECT = 4,
};

enum { VIRTQ_AVAIL_F_NO_INTERRUPT = 1 };

enum virtio_blk_type {
    VIRTIO_BLK_T_IN = 0,
    VIRTIO_BLK_T_OUT = 1,
    VIRTIO_BLK_T_FLUSH = 4,
    VIRTIO_BLK_T_GET_ID = 8,
    VIRTIO_BLK_T_DISCARD = 11,
    VIRTIO_BLK_T_WRITE_ZEROES = 13,
};

enum { VIRTIO_BLK_S_OK = 0, VIRTIO_BLK_S_IOERR = 1, VIRTIO_BLK_S_UNSUPP = 2 };

/* virtio-net feature bits (5.1.3), in the low feature word. */
enum virtio_net_feature {
    VIRTIO_NET_F_MAC = 1u << 5,
    VIRTIO_NET_F_MRG_RXBUF = 1u << 15,
    VIRTIO_NET_F_STATUS = 1u << 16,
};

/* struct virtio_net_config (5.1.4): mac[6], then le16 status; the fields
 * after it belong to features ember does not offer. */
enum { VIRTIO_NET_CONFIG_MAC = 0, VIRTIO_NET_CONFIG_STATUS = 6, VIRTIO_NET_CONFIG_SIZE = 8 };
enum { VIRTIO_NET_S_LINK_UP = 1 };

/* struct virtio_net_hdr_v1 (5.1.6) in front of every frame, both ways:
 * flags, gso_type, hdr_len, gso_size, csum_start, csum_offset, then le16
 * num_buffers, which VIRTIO_F_VERSION_1 makes always present. */
enum { VIRTIO_NET_HDR_SIZE = 12, VIRTIO_NET_HDR_NUM_BUFFERS = 10 };

#endif
