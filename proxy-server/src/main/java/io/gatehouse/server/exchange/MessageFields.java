package io.gatehouse.server.exchange;

import io.gatehouse.api.HttpFields;
import io.gatehouse.api.MutableHttpFields;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpMessage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** A live {@link MutableHttpFields} view on the headers of an HttpCore message: no copying. */
final class MessageFields implements MutableHttpFields {

    private final HttpMessage message;

    MessageFields(HttpMessage message) {
        this.message = message;
    }

    @Override
    public Optional<String> first(String name) {
        Header header = message.getFirstHeader(name);
        return header == null ? Optional.empty() : Optional.of(header.getValue());
    }

    @Override
    public List<String> all(String name) {
        Header[] headers = message.getHeaders(name);
        if (headers.length == 0) {
            return List.of();
        }
        List<String> values = new ArrayList<>(headers.length);
        for (Header header : headers) {
            values.add(header.getValue());
        }
        return Collections.unmodifiableList(values);
    }

    @Override
    public boolean contains(String name) {
        return message.containsHeader(name);
    }

    @Override
    public void forEach(BiConsumer<String, String> action) {
        for (Iterator<Header> it = message.headerIterator(); it.hasNext(); ) {
            Header header = it.next();
            action.accept(header.getName(), header.getValue());
        }
    }

    @Override
    public int size() {
        return message.getHeaders().length;
    }

    @Override
    public void add(String name, String value) {
        HttpFields.of(name, value); // validates name and value
        message.addHeader(name, value);
    }

    @Override
    public void set(String name, String value) {
        HttpFields.of(name, value);
        message.removeHeaders(name);
        message.addHeader(name, value);
    }

    @Override
    public boolean remove(String name) {
        boolean present = message.containsHeader(name);
        message.removeHeaders(name);
        return present;
    }

    @Override
    public HttpFields toImmutable() {
        MutableHttpFields copy = MutableHttpFields.create();
        forEach(copy::add);
        return copy.toImmutable();
    }

    @Override
    public String toString() {
        return toImmutable().toString();
    }
}
