package io.weft.runtime.engine;

import java.io.IOException;

/**
 * What an adapter fails an attempt with when its caller gave up on the call: the app cancelled it, or the client of
 * a sidecar closed its connection or reset its stream. The engine records the attempt as
 * {@link io.weft.runtime.resilience.Outcome.Kind#CANCELLED}: not the endpoint's failure, so a burst of clients going
 * away cannot open a breaker or eject a healthy endpoint, and no retry is made for nobody.
 */
public class CallCancelledException extends IOException {

    public CallCancelledException(String message) {
        super(message);
    }
}
