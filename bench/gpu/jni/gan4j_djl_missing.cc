// gan4j: the native methods of DJL 0.35.1's PyTorchLibrary that the older DJL sources this build starts from lack,
// written to the semantics of DJL's JniUtils (pytorch-engine 0.35.1 sources).
#include <torch/torch.h>

#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include "djl_pytorch_jni_exception.h"
#include "djl_pytorch_utils.h"

using TensorIndices = std::vector<torch::indexing::TensorIndex>;

namespace {

torch::Tensor& TensorOf(jlong handle) {
  return *reinterpret_cast<torch::Tensor*>(handle);
}

TensorIndices& IndicesOf(jlong handle) {
  return *reinterpret_cast<TensorIndices*>(handle);
}

// a new tensor handle, owned by the Java side from here on
jlong HandleOf(torch::Tensor tensor) {
  return reinterpret_cast<uintptr_t>(new torch::Tensor(std::move(tensor)));
}

}  // namespace

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexInit(JNIEnv* env, jobject jthis, jint jsize) {
  API_BEGIN()
  auto* indices = new TensorIndices();
  indices->reserve(jsize);
  return reinterpret_cast<uintptr_t>(indices);
  API_END_RETURN()
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDeleteIndex(JNIEnv* env, jobject jthis, jlong jhandle) {
  API_BEGIN()
  delete &IndicesOf(jhandle);
  API_END()
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAppendNoneEllipsis(
    JNIEnv* env, jobject jthis, jlong jhandle, jboolean jis_ellipsis) {
  API_BEGIN()
  if (jis_ellipsis) {
    IndicesOf(jhandle).emplace_back(torch::indexing::Ellipsis);
  } else {
    IndicesOf(jhandle).emplace_back(torch::indexing::None);
  }
  API_END()
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAppendSlice(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jmin, jlong jmax, jlong jstep, jint jnull_slice_binary) {
  API_BEGIN()
  auto& indices = IndicesOf(jhandle);
  // bit 1: min is null, bit 0: max is null
  switch (jnull_slice_binary) {
    case 0:
      indices.emplace_back(torch::indexing::Slice(jmin, jmax, jstep));
      break;
    case 1:
      indices.emplace_back(torch::indexing::Slice(jmin, {}, jstep));
      break;
    case 2:
      indices.emplace_back(torch::indexing::Slice({}, jmax, jstep));
      break;
    default:
      indices.emplace_back(torch::indexing::Slice({}, {}, jstep));
  }
  API_END()
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAppendFixed(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jidx) {
  API_BEGIN()
  IndicesOf(jhandle).emplace_back(static_cast<int64_t>(jidx));
  API_END()
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAppendArray(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jarray) {
  API_BEGIN()
  IndicesOf(jhandle).emplace_back(TensorOf(jarray));
  API_END()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAdvGet(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jindex) {
  API_BEGIN()
  return HandleOf(TensorOf(jhandle).index(IndicesOf(jindex)));
  API_END_RETURN()
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAdvPut(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jindex, jlong jdata) {
  API_BEGIN()
  TensorOf(jhandle).index_put_(IndicesOf(jindex), TensorOf(jdata));
  API_END()
}

JNIEXPORT jboolean JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIsContiguous(
    JNIEnv* env, jobject jthis, jlong jhandle) {
  API_BEGIN()
  return TensorOf(jhandle).is_contiguous();
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchToContiguous(
    JNIEnv* env, jobject jthis, jlong jhandle) {
  API_BEGIN()
  return HandleOf(TensorOf(jhandle).contiguous());
  API_END_RETURN()
}

JNIEXPORT jobject JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDirectByteBuffer(
    JNIEnv* env, jobject jthis, jlong jhandle) {
  API_BEGIN()
  // the caller made the tensor contiguous, on the CPU, and keeps it alive as long as the buffer
  const auto& tensor = TensorOf(jhandle);
  return env->NewDirectByteBuffer(tensor.data_ptr(), tensor.nbytes());
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchPad(
    JNIEnv* env, jobject jthis, jlong jhandle, jlongArray jshape, jdouble jvalue) {
  API_BEGIN()
  const std::vector<int64_t> pad = djl::utils::jni::GetVecFromJLongArray(env, jshape);
  return HandleOf(torch::constant_pad_nd(TensorOf(jhandle), pad, jvalue));
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchPut(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jindex, jlong jvalue) {
  API_BEGIN()
  return HandleOf(TensorOf(jhandle).put(TensorOf(jindex), TensorOf(jvalue)));
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchScatter(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jindex, jlong jvalue, jint jaxis) {
  API_BEGIN()
  return HandleOf(TensorOf(jhandle).scatter(jaxis, TensorOf(jindex), TensorOf(jvalue)));
  API_END_RETURN()
}

JNIEXPORT jlongArray JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchTopK(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jk, jlong jaxis, jboolean jlargest, jboolean jsorted) {
  API_BEGIN()
  const auto result = TensorOf(jhandle).topk(jk, jaxis, jlargest, jsorted);
  std::vector<torch::Tensor> list = {std::get<0>(result), std::get<1>(result)};
  return djl::utils::jni::GetPtrArrayFromContainer<std::vector<torch::Tensor>, torch::Tensor>(env, list);
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDiagonal(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong joffset, jlong jaxis1, jlong jaxis2) {
  API_BEGIN()
  return HandleOf(TensorOf(jhandle).diagonal(joffset, jaxis1, jaxis2));
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchNNNormalize(
    JNIEnv* env, jobject jthis, jlong jhandle, jdouble jp, jlong jdim, jdouble jeps) {
  API_BEGIN()
  return HandleOf(torch::nn::functional::normalize(
      TensorOf(jhandle), torch::nn::functional::NormalizeFuncOptions().p(jp).dim(jdim).eps(jeps)));
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_conj(JNIEnv* env, jobject jthis, jlong jhandle) {
  API_BEGIN()
  return HandleOf(torch::conj(TensorOf(jhandle)));
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIfft(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jn, jlong jaxis) {
  API_BEGIN()
  return HandleOf(torch::fft_ifft(TensorOf(jhandle), jn, jaxis));
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchRfft(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jn, jlong jaxis) {
  API_BEGIN()
  return HandleOf(torch::fft_rfft(TensorOf(jhandle), jn, jaxis));
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIrfft(
    JNIEnv* env, jobject jthis, jlong jhandle, jlong jn, jlong jaxis) {
  API_BEGIN()
  return HandleOf(torch::fft_irfft(TensorOf(jhandle), jn, jaxis));
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchFft2(
    JNIEnv* env, jobject jthis, jlong jhandle, jlongArray jsizes, jlongArray jaxes) {
  API_BEGIN()
  const std::vector<int64_t> sizes = djl::utils::jni::GetVecFromJLongArray(env, jsizes);
  const std::vector<int64_t> axes = djl::utils::jni::GetVecFromJLongArray(env, jaxes);
  return HandleOf(torch::fft_fft2(TensorOf(jhandle), sizes, axes));
  API_END_RETURN()
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIfft2(
    JNIEnv* env, jobject jthis, jlong jhandle, jlongArray jsizes, jlongArray jaxes) {
  API_BEGIN()
  const std::vector<int64_t> sizes = djl::utils::jni::GetVecFromJLongArray(env, jsizes);
  const std::vector<int64_t> axes = djl::utils::jni::GetVecFromJLongArray(env, jaxes);
  return HandleOf(torch::fft_ifft2(TensorOf(jhandle), sizes, axes));
  API_END_RETURN()
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchCudaEmptyCache(JNIEnv* env, jobject jthis) {
  env->ThrowNew(ENGINE_EXCEPTION_CLASS, "gan4j's JNI build does not empty the CUDA cache");
}

JNIEXPORT jobjectArray JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_moduleGetMethodNames(
    JNIEnv* env, jobject jthis, jlong jhandle) {
  API_BEGIN()
  auto* module_ptr = reinterpret_cast<torch::jit::script::Module*>(jhandle);
  std::vector<std::string> names;
  for (const auto& method : module_ptr->get_methods()) {
    names.emplace_back(method.name());
  }
  return djl::utils::jni::GetStringArrayFromVec(env, names);
  API_END_RETURN()
}

// gan4j's TransposedConv2d runs libtorch's conv_transpose2d through a TorchScript module with this call
JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_moduleRunMethod(JNIEnv* env, jobject jthis,
    jlong jhandle, jstring jmethod, jlongArray jinputs, jboolean jis_train, jboolean jseparate_cuda_stream) {
  API_BEGIN()
  auto* module_ptr = reinterpret_cast<torch::jit::script::Module*>(jhandle);
  const std::string method_name = djl::utils::jni::GetStringFromJString(env, jmethod);
  const jsize len = env->GetArrayLength(jinputs);
  jlong* ptrs = env->GetLongArrayElements(jinputs, JNI_FALSE);
  std::vector<torch::IValue> inputs;
  inputs.reserve(len);
  for (jsize i = 0; i < len; ++i) {
    inputs.emplace_back(*reinterpret_cast<torch::IValue*>(ptrs[i]));
  }
  env->ReleaseLongArrayElements(jinputs, ptrs, djl::utils::jni::RELEASE_MODE);
  auto method = module_ptr->get_method(method_name);
  torch::IValue output = [&]() {
    if (jis_train) {
      return method(inputs);
    }
    torch::NoGradGuard no_grad;
    return method(inputs);
  }();
  return reinterpret_cast<uintptr_t>(new torch::IValue(output));
  API_END_RETURN()
}
