package io.gatehouse.server.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little DER this package needs: walking a SEQUENCE's elements and writing the PKCS#8
 * envelope around a PKCS#1 RSA or SEC1 EC private key. Not a general ASN.1 library.
 */
final class Der {

    static final int SEQUENCE = 0x30;
    static final int OID = 0x06;

    /** rsaEncryption, 1.2.840.113549.1.1.1, as a whole OID element. */
    static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1, as a whole OID element. */
    static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final byte[] NULL = {0x05, 0x00};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Der() {
    }

    /**
     * One element of an encoding.
     *
     * @param tag its tag byte
     * @param start where the element (its tag) starts
     * @param contentStart where its content starts
     * @param end where it ends (exclusive)
     */
    record Element(int tag, int start, int contentStart, int end) {
        byte[] whole(byte[] der) {
            return Arrays.copyOfRange(der, start, end);
        }
    }

    /**
     * @param der the encoding
     * @param offset where the element starts
     * @return the element there
     * @throws IllegalArgumentException when the bytes are not DER
     */
    static Element read(byte[] der, int offset) {
        if (offset + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = der[offset] & 0xFF;
        int lengthByte = der[offset + 1] & 0xFF;
        int position = offset + 2;
        long length;
        if (lengthByte < 0x80) {
            length = lengthByte;
        } else {
            int count = lengthByte & 0x7F;
            if (count == 0 || count > 4 || position + count > der.length) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[position++] & 0xFF);
            }
        }
        if (position + length > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new Element(tag, offset, position, (int) (position + length));
    }

    /**
     * @param der the encoding
     * @param container an element whose content is a series of elements (a SEQUENCE, a context tag)
     * @param tag the tag wanted
     * @return the first element of that tag in the container, or null
     */
    static Element child(byte[] der, Element container, int tag) {
        for (int at = container.contentStart(); at < container.end(); ) {
            Element element = read(der, at);
            if (element.tag() == tag) {
                return element;
            }
            at = element.end();
        }
        return null;
    }

    /**
     * @param algorithm the algorithm identifier's elements (OID and parameters)
     * @param key the inner private key encoding
     * @return the PKCS#8 PrivateKeyInfo around it
     */
    static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return tagged(SEQUENCE, concat(VERSION_0, tagged(SEQUENCE, algorithm), tagged(0x04, key)));
    }

    /**
     * @param pkcs1 a PKCS#1 RSAPrivateKey
     * @return it as PKCS#8
     */
    static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        return pkcs8(concat(RSA_ENCRYPTION, NULL), pkcs1);
    }

    /**
     * @param sec1 a SEC1 ECPrivateKey with its named curve
     * @return it as PKCS#8
     * @throws IllegalArgumentException when it names no curve
     */
    static byte[] pkcs8FromSec1(byte[] sec1) {
        Element root = read(sec1, 0);
        Element parameters = root.tag() == SEQUENCE ? child(sec1, root, 0xA0) : null;
        Element curve = parameters == null ? null : child(sec1, parameters, OID);
        if (curve == null) {
            throw new IllegalArgumentException("the EC key names no curve");
        }
        return pkcs8(concat(EC_PUBLIC_KEY, curve.whole(sec1)), sec1);
    }

    static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
