// gan4j: a lean re-implementation of DJL's api/src/main/native/djl/utils.h (the helpers DJL's PyTorch JNI uses).
#ifndef DJL_UTILS_H
#define DJL_UTILS_H

#include <jni.h>

#include <cstdint>
#include <string>
#include <vector>

namespace djl {
namespace utils {
namespace jni {

static constexpr const jint RELEASE_MODE = JNI_ABORT;
static constexpr const jlong NULL_PTR = 0;

inline std::string GetStringFromJString(JNIEnv* env, jstring jstr) {
  if (jstr == nullptr) {
    return std::string();
  }
  const jclass string_class = env->GetObjectClass(jstr);
  const jmethodID getbytes = env->GetMethodID(string_class, "getBytes", "(Ljava/lang/String;)[B");
  const jstring charset = env->NewStringUTF("UTF-8");
  const auto jbytes = (jbyteArray) env->CallObjectMethod(jstr, getbytes, charset);
  env->DeleteLocalRef(charset);
  const jsize length = env->GetArrayLength(jbytes);
  jbyte* bytes = env->GetByteArrayElements(jbytes, nullptr);
  std::string str(reinterpret_cast<const char*>(bytes), length);
  env->ReleaseByteArrayElements(jbytes, bytes, RELEASE_MODE);
  env->DeleteLocalRef(jbytes);
  return str;
}

template <typename T>
inline std::vector<T> GetObjectVecFromJHandles(JNIEnv* env, jlongArray jhandles) {
  const jsize length = env->GetArrayLength(jhandles);
  jlong* ptrs = env->GetLongArrayElements(jhandles, JNI_FALSE);
  std::vector<T> vec;
  vec.reserve(length);
  for (jsize i = 0; i < length; ++i) {
    vec.emplace_back(*reinterpret_cast<T*>(ptrs[i]));
  }
  env->ReleaseLongArrayElements(jhandles, ptrs, RELEASE_MODE);
  return vec;
}

template <typename T1, typename T2>
inline jlongArray GetPtrArrayFromContainer(JNIEnv* env, T1 list) {
  const size_t len = list.size();
  jlongArray jarray = env->NewLongArray(static_cast<jsize>(len));
  std::vector<jlong> ptrs(len);
  for (size_t i = 0; i < len; ++i) {
    ptrs[i] = reinterpret_cast<uintptr_t>(new T2(list[i]));
  }
  env->SetLongArrayRegion(jarray, 0, static_cast<jsize>(len), ptrs.data());
  return jarray;
}

inline std::vector<int64_t> GetVecFromJLongArray(JNIEnv* env, jlongArray jarray) {
  const jsize length = env->GetArrayLength(jarray);
  jlong* values = env->GetLongArrayElements(jarray, JNI_FALSE);
  std::vector<int64_t> vec(values, values + length);
  env->ReleaseLongArrayElements(jarray, values, RELEASE_MODE);
  return vec;
}

inline jobjectArray GetStringArrayFromVec(JNIEnv* env, const std::vector<std::string>& vec) {
  const jclass string_class = env->FindClass("java/lang/String");
  jobjectArray array = env->NewObjectArray(static_cast<jsize>(vec.size()), string_class, nullptr);
  for (size_t i = 0; i < vec.size(); ++i) {
    jstring jstr = env->NewStringUTF(vec[i].c_str());
    env->SetObjectArrayElement(array, static_cast<jsize>(i), jstr);
    env->DeleteLocalRef(jstr);
  }
  return array;
}

inline jlongArray GetLongArrayFromVec(JNIEnv* env, const std::vector<size_t>& vec) {
  jlongArray array = env->NewLongArray(static_cast<jsize>(vec.size()));
  std::vector<jlong> values(vec.begin(), vec.end());
  env->SetLongArrayRegion(array, 0, static_cast<jsize>(values.size()), values.data());
  return array;
}

}  // namespace jni
}  // namespace utils
}  // namespace djl

#endif  // DJL_UTILS_H
