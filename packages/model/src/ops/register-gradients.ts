/**
 * Side-effect module: registers tfjs's gradient functions for every core kernel. The Node build
 * of @tensorflow/tfjs-core ships without them (only the @tensorflow/tfjs bundle registers them),
 * so `tf.grad` on a plain `tf.sum` would throw "gradient function not found". Importing
 * @llm/model's ops pulls this in. Leaves out: nothing to configure.
 */
import "@tensorflow/tfjs";
