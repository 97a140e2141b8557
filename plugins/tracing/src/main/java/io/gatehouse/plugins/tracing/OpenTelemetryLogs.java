package io.gatehouse.plugins.tracing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Sends what the OpenTelemetry SDK logs through {@code java.util.logging} (export failures, for
 * instance, already throttled by the SDK) to the server's log through SLF4J, under the same
 * logger names, instead of JUL's own console lines on standard error, which the server's
 * {@code logback.xml} cannot format, filter or route. Installed once, on the {@code
 * io.opentelemetry} JUL logger only.
 */
final class OpenTelemetryLogs extends Handler {

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    /** JUL keeps loggers weakly: this keeps the one configured here, and so its handler. */
    private static volatile java.util.logging.Logger otelLogger;

    private final SimpleFormatter formatter = new SimpleFormatter();

    private OpenTelemetryLogs() {
    }

    /** Installs the bridge, once per class loader of this plugin. */
    static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.opentelemetry");
            logger.addHandler(new OpenTelemetryLogs());
            logger.setUseParentHandlers(false);
            otelLogger = logger;
        }
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        Logger logger = LoggerFactory.getLogger(record.getLoggerName() == null ? "io.opentelemetry" : record.getLoggerName());
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            if (logger.isErrorEnabled()) {
                logger.error(formatter.formatMessage(record), record.getThrown());
            }
        } else if (level >= Level.WARNING.intValue()) {
            if (logger.isWarnEnabled()) {
                logger.warn(formatter.formatMessage(record), record.getThrown());
            }
        } else if (level >= Level.INFO.intValue()) {
            if (logger.isInfoEnabled()) {
                logger.info(formatter.formatMessage(record), record.getThrown());
            }
        } else if (logger.isDebugEnabled()) {
            logger.debug(formatter.formatMessage(record), record.getThrown());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
