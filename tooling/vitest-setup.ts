import * as tf from '@tensorflow/tfjs-core';

// tfjs's cpu backend greets Node users once with a suggestion to install tfjs-node; PROD mutes
// tfjs's own log messages only (no check or kernel changes).
tf.env().set('PROD', true);
