// Types of tfjs-gradients.generated.js: it exports nothing (it registers tfjs-core's gradients).
export {};
