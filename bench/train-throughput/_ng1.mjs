import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
tf.env().set("IS_NODE", false);
const m = await import("@genai-fi/nanogpt");
tf.env().set("IS_NODE", true);
console.log(Object.keys(m));
console.log(tf.engine().registryFactory ? Object.keys(tf.engine().registryFactory) : "");
