package dev.vigil.analysis;

import java.util.Arrays;

/** A growable array of doubles. Not thread-safe. */
final class DoubleList {

    private double[] values = new double[16];
    private int size;

    void add(double v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    void addAll(double[] vs) {
        for (double v : vs) {
            add(v);
        }
    }

    int size() {
        return size;
    }

    double[] toArray() {
        return Arrays.copyOf(values, size);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
