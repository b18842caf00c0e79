// gan4j: JNI_OnLoad caches the exception classes; Log forwards native messages to stderr (errors only).
#include "ai_djl_pytorch_jni_cache.h"

#include <iostream>

#include "djl_pytorch_jni_log.h"

jclass ENGINE_EXCEPTION_CLASS = nullptr;
jclass NULL_PTR_EXCEPTION_CLASS = nullptr;
jclass ILLEGAL_STATE_EXCEPTION_CLASS = nullptr;

static jclass GlobalClass(JNIEnv* env, const char* name) {
  jclass local = env->FindClass(name);
  if (local == nullptr) {
    return nullptr;
  }
  auto global = static_cast<jclass>(env->NewGlobalRef(local));
  env->DeleteLocalRef(local);
  return global;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void* reserved) {
  JNIEnv* env;
  if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) {
    return JNI_ERR;
  }
  ENGINE_EXCEPTION_CLASS = GlobalClass(env, "ai/djl/engine/EngineException");
  NULL_PTR_EXCEPTION_CLASS = GlobalClass(env, "java/lang/NullPointerException");
  ILLEGAL_STATE_EXCEPTION_CLASS = GlobalClass(env, "java/lang/IllegalStateException");
  if (ENGINE_EXCEPTION_CLASS == nullptr || NULL_PTR_EXCEPTION_CLASS == nullptr ||
      ILLEGAL_STATE_EXCEPTION_CLASS == nullptr) {
    return JNI_ERR;
  }
  return JNI_VERSION_1_8;
}

Log::Log(JNIEnv* env) : env(env), logger(nullptr) {}

void Log::info(const std::string& message) {}

void Log::debug(const std::string& message) {}

void Log::error(const std::string& message) {
  std::cerr << "[djl_torch] " << message << std::endl;
}
