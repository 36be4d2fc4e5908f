import { backend_util } from '@tensorflow/tfjs-core';
import { TfjsRuntimeError } from '../tfjs-runtime-error';

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/** Everything a channels-last 2-D window kernel needs, resolved once so the loops run blindly. */
export interface WindowGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

function fromInfo(info: backend_util.Conv2DInfo, opName: string): WindowGeometry {
  if (info.dataFormat !== 'channelsLast') {
    throw new TfjsRuntimeError(
      'UNSUPPORTED_LAYOUT',
      `${opName} supports only NHWC tensors; transpose NCHW inputs first.`,
    );
  }
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Geometry of a (depthwise) convolution, using tfjs-core's own padding rules so results match stock kernels. */
export function convGeometry(
  opName: string,
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: Pad,
  rounding: Rounding,
  depthwise: boolean,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): WindowGeometry {
  const info = backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    strides,
    dilations,
    pad,
    rounding,
    depthwise,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  return fromInfo(info, opName);
}

/** Geometry of a 2-D pooling window over an NHWC input. */
export function poolGeometry(
  opName: string,
  xShape: number[],
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: Pad,
  rounding: Rounding,
): WindowGeometry {
  return fromInfo(
    backend_util.computePool2DInfo(xShape as Shape4, filterSize, strides, 1, pad, rounding),
    opName,
  );
}

/** Rejects non-float32 tensors, which our float loops would silently misread. */
export function assertFloat32(opName: string, ...dtypes: string[]): void {
  for (const dtype of dtypes) {
    if (dtype !== 'float32') {
      throw new TfjsRuntimeError(
        'UNSUPPORTED_DTYPE',
        `${opName} expects float32 tensors, got ${dtype}; cast first.`,
      );
    }
  }
}
