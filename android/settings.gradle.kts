// The Komek Android library: generated Kotlin bindings + a thin Kotlin layer.
// Build the native libraries first: ./build-native.sh (see docs/bindings.md).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "komek-android"
